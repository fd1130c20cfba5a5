"""Recurring forum meetings: ``meeting_series`` (an RRULE at a local wall time); exceptions stay in ``meetings``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("rrule", sa.String(length=500), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), server_default="120", nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("dtstart", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("external_uid", sa.String(length=255), nullable=True),
        sa.Column("created_by_member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("source IN ('config', 'chat', 'ics')", name=op.f("ck_meeting_series_source")),
        sa.ForeignKeyConstraint(["forum_id"], ["forums.id"], name=op.f("fk_meeting_series_forum_id_forums")),
        sa.ForeignKeyConstraint(["created_by_member_id"], ["members.id"],
                                name=op.f("fk_meeting_series_created_by_member_id_members"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
        sa.UniqueConstraint("external_uid", name=op.f("uq_meeting_series_external_uid")),
    )
    op.create_index(op.f("ix_meeting_series_forum_id"), "meeting_series", ["forum_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_series_forum_id"), table_name="meeting_series")
    op.drop_table("meeting_series")
