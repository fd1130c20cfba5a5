"""The bot speaks first: an outbox of planned messages, personal reminders, snoozes and reminder settings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

UTC_DATETIME = sa.DateTime(timezone=True)
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("status IN ('planerad', 'pagaende')")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("reminders_not_before", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("weekly_digest", sa.Boolean(), server_default=sa.false(), nullable=False))
    # A plain ADD COLUMN: a batch that recreated the table would lose the expression indexes on SQLite.
    op.add_column("actions", sa.Column("snoozed_until", UTC_DATETIME, nullable=True))
    op.create_table(
        "outbox",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("reference_id", sa.Integer(), nullable=True),
        sa.Column("payload", JSON_DOCUMENT, nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("late", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", UTC_DATETIME, nullable=True),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'dead')", name=op.f("ck_outbox_state")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_outbox_member_id_members"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reference_id"], ["conversation_references.id"],
                                name=op.f("fk_outbox_reference_id_conversation_references"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    op.create_index("ix_outbox_state_next_attempt_at", "outbox", ["state", "next_attempt_at"])
    op.create_table(
        "personal_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_personal_reminders_member_id_members"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_reminders")),
    )
    op.create_index(op.f("ix_personal_reminders_member_id"), "personal_reminders", ["member_id"])
    op.create_index(op.f("ix_personal_reminders_at"), "personal_reminders", ["at"])


def downgrade() -> None:
    op.drop_table("personal_reminders")
    op.drop_index("ix_outbox_state_next_attempt_at", table_name="outbox")
    op.drop_table("outbox")
    # SQLite recreates the table to drop a column and cannot reflect expression indexes: keep them by hand.
    op.drop_index("ix_actions_member_open_due", table_name="actions")
    op.drop_index("ix_actions_open_due", table_name="actions")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("snoozed_until")
    op.create_index("ix_actions_open_due", "actions", [sa.text("(due_date IS NULL)"), "due_date", "number"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_actions_member_open_due", "actions",
                    ["responsible_member_id", sa.text("(due_date IS NULL)"), "due_date", "number"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table("members") as batch:
        batch.drop_column("weekly_digest")
        batch.drop_column("reminders_not_before")
