"""Observations keep their history: corrections add versions under one number; live rows are indexed.

- ``number`` is unique only among current rows (``replaced_at IS NULL``), so a correction can reuse it;
- ``place_key`` (folded place) groups places for the lägesbild;
- ``author_party`` records the author's party when it was logged (a member may change party later);
- a partial index over live rows answers the lägesbild's counts without touching the table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)
LIVE = sa.text("replaced_at IS NULL AND deleted_at IS NULL")
CURRENT = sa.text("replaced_at IS NULL")

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("place_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("author_party", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("replaced_at", UTC_DATETIME, nullable=True))
        batch.drop_constraint("uq_observations_number", type_="unique")
        batch.drop_index("ix_observations_occurred_start")
    op.execute(
        "UPDATE observations SET place_key = lower(place), "
        "author_party = (SELECT party FROM members WHERE members.id = observations.author_member_id)"
    )
    with op.batch_alter_table("observations") as batch:
        batch.alter_column("author_party", existing_type=sa.String(length=16), nullable=False)
        batch.create_check_constraint("author_party", "author_party IN ('kommun', 'polis')")
    op.create_index("uq_observations_current_number", "observations", ["number"], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_index("ix_observations_live_occurred_start", "observations",
                    ["occurred_start", "focus_area_id", "kind"], sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index("ix_observations_author_member_id_created_at", "observations",
                    ["author_member_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_observations_author_member_id_created_at", table_name="observations")
    op.drop_index("ix_observations_live_occurred_start", table_name="observations")
    op.drop_index("uq_observations_current_number", table_name="observations")
    with op.batch_alter_table("observations") as batch:
        batch.drop_constraint(op.f("ck_observations_author_party"), type_="check")
        batch.drop_column("replaced_at")
        batch.drop_column("author_party")
        batch.drop_column("place_key")
        batch.create_unique_constraint("uq_observations_number", ["number"])
        batch.create_index("ix_observations_occurred_start", ["occurred_start"])
