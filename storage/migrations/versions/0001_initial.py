"""Initial schema: members, catalogues, observations, actions, meetings, references, audit, sequences, state.

Written from the models and reviewed by hand; must run on SQLite and PostgreSQL alike, so booleans use
sa.true()/sa.false() defaults and time stamps are TIMESTAMP WITH TIME ZONE (SQLite stores naive UTC text).

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Frozen copies of the model types: a migration must not change when storage/models.py does.
UTC_DATETIME = sa.DateTime(timezone=True)
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_bot_state")),
    )
    op.create_table(
        "catalog_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "change IN ('added', 'renamed', 'retired', 'reactivated')", name=op.f("ck_catalog_changes_change")
        ),
        sa.CheckConstraint("kind IN ('focus_area', 'forum')", name=op.f("ck_catalog_changes_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_changes")),
    )
    op.create_index("ix_catalog_changes_kind_code", "catalog_changes", ["kind", "code"], unique=False)

    op.create_table(
        "citizen_promises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_promises")),
        sa.UniqueConstraint("number", name=op.f("uq_citizen_promises_number")),
    )
    op.create_table(
        "focus_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("synonyms", JSON_DOCUMENT, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("added_at", UTC_DATETIME, nullable=False),
        sa.Column("retired_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_focus_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_focus_areas_code")),
    )
    op.create_table(
        "forums",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("synonyms", JSON_DOCUMENT, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("added_at", UTC_DATETIME, nullable=False),
        sa.Column("retired_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forums")),
        sa.UniqueConstraint("code", name=op.f("uq_forums_code")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("role", sa.Text(), server_default="", nullable=False),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("party IN ('kommun', 'polis')", name=op.f("ck_members_party")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_table(
        "sequences",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sequences")),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=True),
        sa.Column("responsible_party", sa.String(length=16), nullable=False),
        sa.Column("responsible_member_id", sa.Integer(), nullable=True),
        sa.Column("responsible_text", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="planerad", nullable=False),
        sa.Column("promise_id", sa.Integer(), nullable=True),
        sa.Column("forum_id", sa.Integer(), nullable=True),
        sa.Column("created_by_member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("completed_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "responsible_party IN ('kommun', 'polis', 'gemensam')", name=op.f("ck_actions_responsible_party")
        ),
        sa.CheckConstraint(
            "status IN ('planerad', 'pagaende', 'klar', 'installd')", name=op.f("ck_actions_status")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"], ["members.id"], name=op.f("fk_actions_created_by_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["focus_area_id"], ["focus_areas.id"], name=op.f("fk_actions_focus_area_id_focus_areas")
        ),
        sa.ForeignKeyConstraint(["forum_id"], ["forums.id"], name=op.f("fk_actions_forum_id_forums")),
        sa.ForeignKeyConstraint(
            ["promise_id"], ["citizen_promises.id"], name=op.f("fk_actions_promise_id_citizen_promises")
        ),
        sa.ForeignKeyConstraint(
            ["responsible_member_id"], ["members.id"], name=op.f("fk_actions_responsible_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("number", name=op.f("uq_actions_number")),
    )
    op.create_index("ix_actions_focus_area_id", "actions", ["focus_area_id"], unique=False)
    op.create_index(
        "ix_actions_responsible_member_id_status",
        "actions",
        ["responsible_member_id", "status"],
        unique=False,
    )
    op.create_index("ix_actions_status_due_date", "actions", ["status", "due_date"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor_member_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=512), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.String(length=1024), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("detail", JSON_DOCUMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_member_id"],
            ["members.id"],
            name=op.f("fk_audit_log_actor_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_actor_member_id_at", "audit_log", ["actor_member_id", "at"], unique=False)
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)

    op.create_table(
        "conversation_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=1024), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("service_url", sa.String(length=512), nullable=True),
        sa.Column("conversation_id", sa.String(length=1024), nullable=False),
        sa.Column("conversation_type", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("team_id", sa.String(length=255), nullable=True),
        sa.Column("teams_channel_id", sa.String(length=255), nullable=True),
        sa.Column("bot_id", sa.String(length=255), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("reference", JSON_DOCUMENT, nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("last_activity_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "conversation_type IN ('personal', 'channel', 'groupChat', 'room', 'console')",
            name=op.f("ck_conversation_references_conversation_type"),
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_conversation_references_forum_id_forums"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_conversation_references_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_references")),
        sa.UniqueConstraint("key", name=op.f("uq_conversation_references_key")),
    )
    op.create_index(
        "ix_conversation_references_channel_id_active",
        "conversation_references",
        ["channel_id", "active"],
        unique=False,
    )
    op.create_index(
        op.f("ix_conversation_references_member_id"), "conversation_references", ["member_id"], unique=False
    )

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC_DATETIME, nullable=False),
        sa.Column("ends_at", UTC_DATETIME, nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("cancelled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("external_uid", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("source IN ('config', 'chat', 'ics')", name=op.f("ck_meetings_source")),
        sa.ForeignKeyConstraint(["forum_id"], ["forums.id"], name=op.f("fk_meetings_forum_id_forums")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("external_uid", name=op.f("uq_meetings_external_uid")),
    )
    op.create_index("ix_meetings_forum_id_starts_at", "meetings", ["forum_id", "starts_at"], unique=False)

    op.create_table(
        "member_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("user_key", sa.String(length=255), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_identities_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_identities")),
        sa.UniqueConstraint(
            "channel", "user_key", "tenant_id", name=op.f("uq_member_identities_channel_user_key_tenant_id")
        ),
    )
    op.create_index(op.f("ix_member_identities_member_id"), "member_identities", ["member_id"], unique=False)

    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("occurred_start", UTC_DATETIME, nullable=False),
        sa.Column("occurred_end", UTC_DATETIME, nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_party", sa.String(length=16), nullable=False),
        sa.Column("author_member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("deleted_at", UTC_DATETIME, nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.CheckConstraint(
            "kind IN ('handelse', 'iakttagelse', 'medborgardialog', 'medarbetardialog', 'statistik')",
            name=op.f("ck_observations_kind"),
        ),
        sa.CheckConstraint("source_party IN ('kommun', 'polis')", name=op.f("ck_observations_source_party")),
        sa.ForeignKeyConstraint(
            ["author_member_id"], ["members.id"], name=op.f("fk_observations_author_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["focus_area_id"], ["focus_areas.id"], name=op.f("fk_observations_focus_area_id_focus_areas")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["observations.id"], name=op.f("fk_observations_supersedes_id_observations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_observations_idempotency_key")),
        sa.UniqueConstraint("number", name=op.f("uq_observations_number")),
    )
    op.create_index(
        "ix_observations_focus_area_id_occurred_start",
        "observations",
        ["focus_area_id", "occurred_start"],
        unique=False,
    )
    op.create_index("ix_observations_occurred_start", "observations", ["occurred_start"], unique=False)
    op.create_index("ix_observations_place", "observations", ["place"], unique=False)

    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("author_member_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint(
            "kind IN ('created', 'comment', 'status', 'postponed', 'reassigned', 'cancelled')",
            name=op.f("ck_action_updates_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_updates_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_member_id"], ["members.id"], name=op.f("fk_action_updates_author_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    op.create_index(op.f("ix_action_updates_action_id"), "action_updates", ["action_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_action_updates_action_id"), table_name="action_updates")

    op.drop_table("action_updates")
    op.drop_index("ix_observations_place", table_name="observations")
    op.drop_index("ix_observations_occurred_start", table_name="observations")
    op.drop_index("ix_observations_focus_area_id_occurred_start", table_name="observations")

    op.drop_table("observations")
    op.drop_index(op.f("ix_member_identities_member_id"), table_name="member_identities")

    op.drop_table("member_identities")
    op.drop_index("ix_meetings_forum_id_starts_at", table_name="meetings")

    op.drop_table("meetings")
    op.drop_index(op.f("ix_conversation_references_member_id"), table_name="conversation_references")
    op.drop_index("ix_conversation_references_channel_id_active", table_name="conversation_references")

    op.drop_table("conversation_references")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_member_id_at", table_name="audit_log")

    op.drop_table("audit_log")
    op.drop_index("ix_actions_status_due_date", table_name="actions")
    op.drop_index("ix_actions_responsible_member_id_status", table_name="actions")
    op.drop_index("ix_actions_focus_area_id", table_name="actions")

    op.drop_table("actions")
    op.drop_table("sequences")
    op.drop_table("members")
    op.drop_table("forums")
    op.drop_table("focus_areas")
    op.drop_table("citizen_promises")
    op.drop_index("ix_catalog_changes_kind_code", table_name="catalog_changes")

    op.drop_table("catalog_changes")
    op.drop_table("bot_state")
