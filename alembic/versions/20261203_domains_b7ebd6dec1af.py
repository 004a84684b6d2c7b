"""domains: custom domains become claims with a proof (DNS TXT or a super admin's approval)

Revision ID: b7ebd6dec1af
Revises: 167cc770959b
Create Date: 2026-12-03 09:00:00.000000

Existing entries of ``tenant.domains`` move over as approved: they were set before proofs
existed, by an admin of that tenant or by a super admin. Should two tenants list the same host
(possible only through a race before), the older tenant keeps it and the other's claim waits.
The platform's own hosts never route, whatever this table holds (``domains.tenant_for_host``).
"""

import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel

import app.models.base
from alembic import op


revision: str = 'b7ebd6dec1af'
down_revision: str | None = '167cc770959b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROVEN = sa.text("status <> 'pending'")


def upgrade() -> None:
    op.create_table('tenant_domain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('challenge', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', app.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'host', name='uq_tenant_domain_host')
    )
    with op.batch_alter_table('tenant_domain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenant_domain_host'), ['host'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenant_domain_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_tenant_domain_proven_host', ['host'], unique=True,
                              postgresql_where=PROVEN, sqlite_where=PROVEN)

    connection = op.get_bind()
    tenant = sa.table('tenant', sa.column('id', sa.Integer), sa.column('domains', sa.JSON))
    claims = sa.table(
        'tenant_domain',
        sa.column('tenant_id', sa.Integer),
        sa.column('host', sa.String),
        sa.column('status', sa.String),
        sa.column('challenge', sa.String),
        sa.column('created_at', app.models.base.UTCDateTime(timezone=True)),
        sa.column('confirmed_at', app.models.base.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    taken: set[str] = set()
    rows = []
    for tenant_id, listed in connection.execute(sa.select(tenant.c.id, tenant.c.domains).order_by(tenant.c.id)):
        hosts = json.loads(listed) if isinstance(listed, str) else (listed or [])
        for host in sorted({str(h).strip().lower().rstrip('.') for h in hosts} - {''}):
            proven = host not in taken
            taken.add(host)
            rows.append({
                'tenant_id': tenant_id, 'host': host[:253],
                'status': 'approved' if proven else 'pending',
                'challenge': secrets.token_urlsafe(24), 'created_at': now,
                'confirmed_at': now if proven else None,
            })
    if rows:
        op.bulk_insert(claims, rows)

    # Not a batch (copy and rename) on SQLite: the tenant table is referenced by every other
    # table, and SQLite has dropped columns in place since 3.35.
    with op.batch_alter_table('tenant', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('domains')


def downgrade() -> None:
    with op.batch_alter_table('tenant', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('domains', sa.JSON(), nullable=False, server_default='[]'))

    connection = op.get_bind()
    proven: dict[int, list[str]] = {}
    for tenant_id, host in connection.execute(sa.text(
        "SELECT tenant_id, host FROM tenant_domain WHERE status <> 'pending' ORDER BY host"
    )):
        proven.setdefault(tenant_id, []).append(host)
    tenant = sa.table('tenant', sa.column('id', sa.Integer), sa.column('domains', sa.JSON))
    for tenant_id, hosts in proven.items():
        connection.execute(tenant.update().where(tenant.c.id == tenant_id).values(domains=hosts))

    with op.batch_alter_table('tenant_domain', schema=None) as batch_op:
        batch_op.drop_index('uq_tenant_domain_proven_host', postgresql_where=PROVEN, sqlite_where=PROVEN)
        batch_op.drop_index(batch_op.f('ix_tenant_domain_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_tenant_domain_host'))

    op.drop_table('tenant_domain')
