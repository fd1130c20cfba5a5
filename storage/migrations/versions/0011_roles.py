"""Access levels (member, reader, reporter) on members, and "känslig" observations.

Revision ID: 0011_roles
Revises: 0010_detail
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_roles"
down_revision: str | None = "0010_detail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing member keeps doing what they did: "member"; admins keep is_admin.
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("access", sa.String(length=16), server_default="member", nullable=False))
        batch.create_check_constraint(op.f("ck_members_access"), "access IN ('member', 'reader', 'reporter')")
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("sensitive", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("sensitive")
    with op.batch_alter_table("members") as batch:
        batch.drop_constraint(op.f("ck_members_access"), type_="check")
        batch.drop_column("access")
