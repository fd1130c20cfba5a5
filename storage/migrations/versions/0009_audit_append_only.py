"""The audit log is append-only: the database itself refuses UPDATE and DELETE (and TRUNCATE) of its rows.

No code path of the bot or the ``samverkan`` command changes or deletes audit entries; these triggers make
that hold for anything that reaches the database through the application as well (a bug, a hand-written
query). They do not stop the database owner, who can drop a trigger: that is a matter for the database's
own access control and logs.

Consequences for later work:
* Retention (gallring) by the collaboration's decision is the one sanctioned deletion
  (``storage.audit.remove_entries_before``): on PostgreSQL its transaction sets
  ``samverkan.audit_retention = 'on'`` (``SET LOCAL``); on SQLite, which has no such setting, it first
  appends a permit entry (``audit_log.retention``, the cut-off in UTC as ``subject_id``) and the trigger
  lets through only rows older than a recorded cut-off. Nothing else may delete, and nothing may update.
* A member row referenced by audit entries cannot be deleted (``ON DELETE SET NULL`` would update audit
  rows): members are deactivated or pseudonymised, never deleted.
* On SQLite a batch migration that recreates ``audit_log`` drops its triggers with the old table; such a
  migration must create them again (``create_sqlite_triggers`` below).

Revision ID: 0009_audit
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_audit"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSAL = "audit_log is append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('samverkan.audit_retention', true) = 'on' THEN
        RETURN OLD;  -- retention by decision (storage.audit.remove_entries_before), this transaction only
    END IF;
    RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$
"""


RETENTION_PERMIT = "audit_log.retention"


def create_sqlite_triggers() -> None:
    op.execute(f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused'); END")
    # Timestamps are stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC), so text order is time order.
    op.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
               f"WHEN NOT EXISTS (SELECT 1 FROM audit_log AS permit WHERE permit.action = '{RETENTION_PERMIT}' "
               f"AND permit.subject_id > OLD.at) "
               f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")
    else:
        create_sqlite_triggers()


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update_or_delete ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
