"""admins need two-factor authentication (tenant setting, on by default)

Revision ID: a1d2f0c3b4e5
Revises: d6ecf2f380e2
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "a1d2f0c3b4e5"
down_revision: str | None = "d6ecf2f380e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("admins_need_2fa", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant", schema=None) as batch_op:
        batch_op.drop_column("admins_need_2fa")
