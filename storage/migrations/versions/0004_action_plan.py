"""The action plan: the agreement's deadlines become actions, actions made by the bot have no author member.

- ``deadline_code``: the configuration deadline an action tracks (one action per occurrence);
- ``created_by_member_id`` may be empty for actions the bot creates from configuration or an import;
- ``(status, completed_at)`` answers "vad blev klart i oktober"; ``(responsible_party, status, due_date)``
  answers "polisens åtgärder".

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

WITH_DEADLINE = sa.text("deadline_code IS NOT NULL")

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("deadline_code", sa.String(length=64), nullable=True))
        batch.alter_column("created_by_member_id", existing_type=sa.Integer(), nullable=True)
    op.create_index("uq_actions_deadline_code_due_date", "actions", ["deadline_code", "due_date"], unique=True,
                    sqlite_where=WITH_DEADLINE, postgresql_where=WITH_DEADLINE)
    op.create_index("ix_actions_status_completed_at", "actions", ["status", "completed_at"])
    op.create_index("ix_actions_responsible_party_status_due_date", "actions",
                    ["responsible_party", "status", "due_date"])


def downgrade() -> None:
    op.drop_index("ix_actions_responsible_party_status_due_date", table_name="actions")
    op.drop_index("ix_actions_status_completed_at", table_name="actions")
    op.drop_index("uq_actions_deadline_code_due_date", table_name="actions")
    with op.batch_alter_table("actions") as batch:
        batch.alter_column("created_by_member_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("deadline_code")
