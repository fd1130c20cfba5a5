"""The audit log is append-only: the database itself refuses UPDATE and DELETE (and TRUNCATE) of its rows.

No code path of the bot or the ``samverkan`` command changes or deletes audit entries; these triggers make
that hold for anything that reaches the database through the application as well (a bug, a hand-written
query). They do not stop the database owner, who can drop a trigger: that is a matter for the database's
own access control and logs.

Consequences for later work:
* A retention job (gallring) that must remove old audit entries needs a sanctioned path of its own, made in
  a migration (e.g. a trigger function that lets one named, audited retention procedure through); it must
  not disable these triggers from application code.
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
    RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def create_sqlite_triggers() -> None:
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{operation.lower()} BEFORE {operation} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {operation} refused'); END")


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
