"""tenant embed origins

Revision ID: e5b0d7c21a9f
Revises: 5e1a7c3b9d20
Create Date: 2026-12-03 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op


revision: str = 'e5b0d7c21a9f'
down_revision: str | None = '5e1a7c3b9d20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Origins that may show the tenant's pages in a frame; none (the default) forbids framing.
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('embed_origins', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('embed_origins')
