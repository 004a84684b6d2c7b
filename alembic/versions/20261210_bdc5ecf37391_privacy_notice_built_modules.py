"""privacy notice version, the platform's default notice, consent notice; built modules only

Revision ID: bdc5ecf37391
Revises: e5b0d7c21a9f
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op


revision: str = 'bdc5ecf37391'
down_revision: str | None = 'e5b0d7c21a9f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The modules that exist at this revision (app.models.tenant.BUILT_MODULES then): tenants
# had booking, portal, recording... switched on by default without any of them existing.
_BUILT = ('meetings',)


def upgrade() -> None:
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('privacy_notice_version', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.add_column(
            sa.Column('privacy_default_notice', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('meeting_participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_notice', sa.String(length=600), nullable=True))

    tenants = sa.table('tenant', sa.column('id', sa.Integer), sa.column('modules', sa.JSON))
    connection = op.get_bind()
    for tenant_id, modules in connection.execute(sa.select(tenants.c.id, tenants.c.modules)).all():
        built = [m for m in (modules or []) if m in _BUILT]
        if built != list(modules or []):
            connection.execute(sa.update(tenants).where(tenants.c.id == tenant_id).values(modules=built))


def downgrade() -> None:
    # Switched-off modules stay off: nobody could use them anyway.
    with op.batch_alter_table('meeting_participant', schema=None) as batch_op:
        batch_op.drop_column('consent_notice')
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('privacy_default_notice')
        batch_op.drop_column('privacy_notice_version')
