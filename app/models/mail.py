"""Mail templates tenants may override, and every mail we send (the outbox)."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, optional_time_field


class MailTemplate(SQLModel, table=True):
    """A tenant's own version of a mail template in one language."""

    __tablename__ = "mail_template"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "key", "locale", name="uq_mail_template"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    key: str = Field(max_length=60)
    locale: str = Field(max_length=5)
    subject: str = Field(max_length=300)
    body_html: str = Field(sa_type=sa.Text)
    body_text: str = Field(sa_type=sa.Text)
    updated_at: dt.datetime = created_at_field()


class MailStatus(enum.StrEnum):
    """Where a mail is: waiting, being sent, sent by SMTP, kept in the dev outbox, given up."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    OUTBOX = "outbox"
    FAILED = "failed"


class OutboundMail(SQLModel, table=True):
    """A rendered mail. Stored before delivery so a crash never loses it.

    ``subject`` and the bodies are the copy for the mail log: personal links (password
    reset, invitation, meeting link) are replaced by a "[personal link]" text. The
    recipient's copy with the links is kept only encrypted in ``sealed_copy`` until the mail
    is sent or given up (in dev mode, mails kept in the dev outbox keep it).
    """

    __tablename__ = "outbound_mail"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    template_key: str = Field(max_length=60)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_html: str = Field(sa_type=sa.Text)
    body_text: str = Field(sa_type=sa.Text)
    sealed_copy: str | None = Field(default=None, sa_type=sa.Text)
    status: str = Field(default=MailStatus.QUEUED.value, max_length=20, index=True)
    claimed_at: dt.datetime | None = optional_time_field()
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=2000)
    created_at: dt.datetime = created_at_field()
    sent_at: dt.datetime | None = optional_time_field()
