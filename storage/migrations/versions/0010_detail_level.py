"""A shared channel's detail level: "full" or "summary" as an admin set it; empty means the collaboration's default.

Revision ID: 0010_detail
Revises: 0009_audit
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_detail"
down_revision: str | None = "0009_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_references") as batch:
        batch.add_column(sa.Column("detail_level", sa.String(length=16), nullable=True))
        batch.create_check_constraint("detail_level", "detail_level IN ('full', 'summary')")


def downgrade() -> None:
    with op.batch_alter_table("conversation_references") as batch:
        batch.drop_constraint(op.f("ck_conversation_references_detail_level"), type_="check")
        batch.drop_column("detail_level")
