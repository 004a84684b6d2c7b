"""Temporary entry for the state layer while it moves to the split mail modules.

Mail lives in ``mail_templates`` (templates, rendering, editing), ``mail_outbox`` (storing,
delivering once, the mail log, the dev outbox) and ``mail_transport`` (SMTP). This module
only keeps ``state/admin_mail.py`` and ``state/platform_outbox.py`` working until they call
those directly; delete it then.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.services import mail_outbox
from app.services.context import TenantContext
from app.services.mail_templates import (
    TEMPLATE_KEYS,
    TemplateSource,
    get_template,
    preview,
    reset_template,
    save_template,
)

__all__ = [
    "TEMPLATE_KEYS",
    "TemplateSource",
    "get_dev_outbox_mail",
    "get_mail",
    "get_template",
    "list_dev_outbox",
    "list_mails",
    "preview",
    "reset_template",
    "save_template",
]


def list_mails(session: Session, ctx: TenantContext) -> list[Any]:
    """See :func:`mail_outbox.list_mails`."""
    return list(mail_outbox.list_mails(session, ctx))


def get_mail(session: Session, ctx: TenantContext, mail_id: int | str) -> Any:
    """See :func:`mail_outbox.get_mail`."""
    return mail_outbox.get_mail(session, ctx, mail_id)


def list_dev_outbox(session: Session, ctx: TenantContext) -> list[tuple[Any, str]]:
    """See :func:`mail_outbox.list_dev_outbox` (old shape: pairs of mail and tenant slug)."""
    return [(m, m.tenant_slug) for m in mail_outbox.list_dev_outbox(session, ctx)]


def get_dev_outbox_mail(session: Session, ctx: TenantContext, mail_id: int | str) -> Any:
    """See :func:`mail_outbox.get_dev_outbox_mail`."""
    return mail_outbox.get_dev_outbox_mail(session, ctx, mail_id)
