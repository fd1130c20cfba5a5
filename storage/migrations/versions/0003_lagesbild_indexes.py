"""Indexes shaped like the lägesbild's questions, measured with bench/situation.py on a million rows.

- tally per focus area and kind: ``(focus_area_id, kind, occurred_start)`` over live rows, so the
  GROUP BY follows the index and each group is a range, with no sort;
- top places: ``(place_key, occurred_start, place)`` over live rows with a place, the same way;
- on PostgreSQL the live ``occurred_start`` index also carries the place (``INCLUDE``), so the top
  places over a long period are an index-only scan too (SQLite has no INCLUDE and uses the place index);
- the general ``(focus_area_id, occurred_start)`` and ``(place)`` indexes are dropped: every query on
  observations now reads live rows, and SQLite's planner preferred the general index and then sorted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

LIVE = sa.text("replaced_at IS NULL AND deleted_at IS NULL")
LIVE_WITH_PLACE = sa.text("replaced_at IS NULL AND deleted_at IS NULL AND place_key IS NOT NULL")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_observations_focus_area_id_occurred_start", table_name="observations")
    op.drop_index("ix_observations_place", table_name="observations")
    op.create_index("ix_observations_live_focus_kind_start", "observations",
                    ["focus_area_id", "kind", "occurred_start"], sqlite_where=LIVE, postgresql_where=LIVE)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_observations_live_occurred_start", table_name="observations")
        op.create_index("ix_observations_live_occurred_start", "observations",
                        ["occurred_start", "focus_area_id", "kind"], postgresql_where=LIVE,
                        postgresql_include=["place_key", "place"])
    op.create_index("ix_observations_live_place_start", "observations", ["place_key", "occurred_start", "place"],
                    sqlite_where=LIVE_WITH_PLACE, postgresql_where=LIVE_WITH_PLACE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_observations_live_occurred_start", table_name="observations")
        op.create_index("ix_observations_live_occurred_start", "observations",
                        ["occurred_start", "focus_area_id", "kind"], postgresql_where=LIVE)
    op.drop_index("ix_observations_live_place_start", table_name="observations")
    op.drop_index("ix_observations_live_focus_kind_start", table_name="observations")
    op.create_index("ix_observations_place", "observations", ["place"])
    op.create_index("ix_observations_focus_area_id_occurred_start", "observations",
                    ["focus_area_id", "occurred_start"])
