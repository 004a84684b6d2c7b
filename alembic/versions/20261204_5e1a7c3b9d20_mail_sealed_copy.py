"""mail: sealed recipient's copy, delivery claim; personal links out of stored bodies

Revision ID: 5e1a7c3b9d20
Revises: b7ebd6dec1af
Create Date: 2026-12-04 09:00:00.000000
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa

import app.models.base
from alembic import op


revision: str = '5e1a7c3b9d20'
down_revision: str | None = 'b7ebd6dec1af'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Links mailed before this revision carried their secret in the stored body
# (/activate?token=..., /reset?token=..., /meeting/...?k=...): the mail log showed them.
_SECRET_PARAMETER = re.compile(r"([?&](?:amp;)?(?:token|k)=)[A-Za-z0-9_\-]+")


def _redact(text: str) -> str:
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


def upgrade() -> None:
    with op.batch_alter_table('outbound_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_copy', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', app.models.base.UTCDateTime(timezone=True), nullable=True))

    mails = sa.table(
        'outbound_mail',
        sa.column('id', sa.Integer),
        sa.column('body_html', sa.Text),
        sa.column('body_text', sa.Text),
        sa.column('last_error', sa.String),
    )
    connection = op.get_bind()
    for mail_id, html, text in connection.execute(sa.select(mails.c.id, mails.c.body_html, mails.c.body_text)).all():
        redacted = (_redact(html), _redact(text))
        if redacted != (html, text):
            connection.execute(
                sa.update(mails).where(mails.c.id == mail_id).values(body_html=redacted[0], body_text=redacted[1])
            )


    # Admins now see a translated message key, never a raw exception text.
    connection.execute(
        sa.update(mails)
        .where(mails.c.last_error != '', ~mails.c.last_error.like('mail.error.%'))
        .values(last_error='mail.error.rejected')
    )


def downgrade() -> None:
    with op.batch_alter_table('outbound_mail', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('sealed_copy')
