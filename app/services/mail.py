"""Mail: per-tenant templates (HTML + text, editable, previewable) and delivery by SMTP.

A mail is rendered and stored first (``queue_mail``), then delivered by a worker after the
transaction commits (``deliver``). Without SMTP configured it lands in the dev outbox.
Tenant admins edit templates, so they are rendered in Jinja's sandbox.
"""

from __future__ import annotations

import dataclasses
import email.utils
import logging
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from sqlmodel import Session, col, select

from app.i18n import LANGUAGES, translate
from app.models import MailStatus, MailTemplate, OutboundMail, Role, Tenant
from app.models.base import utcnow
from app.services import audit
from app.services.context import TenantContext, get_scoped, scoped
from app.services.db import after_commit, unit_of_work
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.guard import ADMINS
from app.services.secrets import decrypt
from app.services.tenants import Branding, branding_of
from app.settings import get_settings

logger = logging.getLogger(__name__)

TEMPLATE_KEYS = ("invitation", "password_reset", "meeting_invitation")
SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "invitation": {
        "name": "Maria Muster",
        "link": "https://example.org/activate?token=…",
        "hours": 72,
    },
    "meeting_invitation": {
        "name": "Maria Muster",
        "host": "Max Berater",
        "title": "Beratung Hausrat",
        "link": "https://example.org/meeting/…?k=…",
    },
    "password_reset": {
        "name": "Maria Muster",
        "link": "https://example.org/reset?token=…",
        "minutes": 30,
    },
}
_LAYOUT = (
    Path(__file__).resolve().parent.parent / "templates" / "mail" / "layout.html"
).read_text()
_html_env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
_text_env = SandboxedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined)
_layout = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(_LAYOUT)


@dataclasses.dataclass(frozen=True)
class TemplateSource:
    """The editable parts of one template in one language."""

    key: str
    locale: str
    subject: str
    body_html: str
    body_text: str
    customised: bool


@dataclasses.dataclass(frozen=True)
class RenderedMail:
    """A mail ready to send."""

    subject: str
    html: str
    text: str


def default_source(key: str, locale: str) -> TemplateSource:
    """The shipped template for ``key`` in ``locale`` (texts from the message catalogs)."""
    if key not in TEMPLATE_KEYS:
        raise NotFound()
    return TemplateSource(
        key=key,
        locale=locale,
        subject=translate(locale, f"mail.{key}.subject"),
        body_html=translate(locale, f"mail.{key}.html"),
        body_text=translate(locale, f"mail.{key}.text"),
        customised=False,
    )


def _tenant_source(session: Session, tenant_id: int, key: str, locale: str) -> TemplateSource:
    row = session.exec(
        select(MailTemplate).where(
            MailTemplate.tenant_id == tenant_id,
            MailTemplate.key == key,
            MailTemplate.locale == locale,
        )
    ).first()
    if row is None:
        return default_source(key, locale)
    return TemplateSource(key, locale, row.subject, row.body_html, row.body_text, customised=True)


def render(source: TemplateSource, brand: Branding, params: dict[str, Any]) -> RenderedMail:
    """Render a template with the tenant's branding.

    Raises:
        InvalidInput: ``error.template_invalid`` with the Jinja message when the source is
            broken or uses an unknown placeholder.
    """
    values = {**params, "tenant": brand.name}
    try:
        subject = _text_env.from_string(source.subject).render(values).strip()
        body = _html_env.from_string(source.body_html).render(values)
        text = _text_env.from_string(source.body_text).render(values)
    except jinja2.TemplateError as exc:
        raise InvalidInput("error.template_invalid", detail=str(exc)[:200]) from None
    if "\n" in subject or "\r" in subject:
        raise InvalidInput("error.template_invalid", detail="subject")
    if brand.logo_url.startswith("/"):  # an uploaded logo: mail clients need the full address
        brand = dataclasses.replace(
            brand, logo_url=get_settings().public_url.rstrip("/") + brand.logo_url
        )
    html = _layout.render(
        locale=source.locale,
        subject=subject,
        brand=brand,
        body=jinja2.utils.markupsafe.Markup(body),
        footer_imprint=translate(source.locale, "footer.imprint"),
        footer_privacy=translate(source.locale, "footer.privacy"),
    )
    return RenderedMail(subject=subject, html=html, text=text)


def queue_mail(
    session: Session, tenant: Tenant, key: str, *, to: str, locale: str, params: dict[str, Any]
) -> OutboundMail:
    """Render and store a mail in the caller's transaction; delivery starts after commit."""
    assert tenant.id is not None
    lang = locale if locale in LANGUAGES else tenant.default_language
    rendered = render(_tenant_source(session, tenant.id, key, lang), branding_of(tenant), params)
    row = OutboundMail(
        tenant_id=tenant.id,
        template_key=key,
        to_address=to,
        subject=rendered.subject,
        body_html=rendered.html,
        body_text=rendered.text,
    )
    session.add(row)
    session.flush()
    mail_id = row.id
    after_commit(session, lambda: _enqueue_delivery(mail_id))
    return row


def _enqueue_delivery(mail_id: int | None) -> None:
    from workers.broker import enqueue

    enqueue("deliver_mail", mail_id)


def _smtp_settings(tenant: Tenant) -> dict[str, Any] | None:
    if tenant.smtp_host:
        return {
            "host": tenant.smtp_host,
            "port": tenant.smtp_port or 587,
            "username": tenant.smtp_username,
            "password": decrypt(tenant.smtp_password_encrypted)
            if tenant.smtp_password_encrypted
            else None,
            "starttls": True,
        }
    s = get_settings()
    if s.smtp_host:
        return {
            "host": s.smtp_host,
            "port": s.smtp_port,
            "username": s.smtp_username,
            "password": s.smtp_password,
            "starttls": s.smtp_starttls,
        }
    return None


def deliver(mail_id: int) -> str:
    """Send one stored mail. Idempotent: a mail already sent (or kept in the outbox) is left.

    Returns:
        The mail's status afterwards.

    Raises:
        Exception: SMTP errors propagate so the worker retries with backoff; the attempt and
            error are recorded first.
    """
    with unit_of_work() as session:
        row = session.get(OutboundMail, mail_id)
        if row is None:
            logger.warning("mail %s no longer exists", mail_id)
            return "missing"
        if row.status in (MailStatus.SENT, MailStatus.OUTBOX):
            return row.status
        tenant = session.get(Tenant, row.tenant_id)
        assert tenant is not None
        smtp = _smtp_settings(tenant)
        if smtp is None:
            row.status = MailStatus.OUTBOX.value
            session.add(row)
            return row.status
        row.attempts += 1
        session.add(row)
        sender = tenant.mail_from or get_settings().mail_from
        message = EmailMessage()
        message["From"] = sender
        message["To"] = row.to_address
        message["Subject"] = row.subject
        message["Date"] = email.utils.formatdate(localtime=False)
        message["Message-ID"] = email.utils.make_msgid(idstring=f"consilio-{row.id}")
        message.set_content(row.body_text)
        message.add_alternative(row.body_html, subtype="html")
        try:
            with smtplib.SMTP(smtp["host"], smtp["port"], timeout=30) as client:
                if smtp["starttls"] and client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                if smtp["username"]:
                    client.login(smtp["username"], smtp["password"] or "")
                client.send_message(message)
        except Exception as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            session.commit()
            raise
        row.status = MailStatus.SENT.value
        row.sent_at = utcnow()
        row.last_error = ""
        session.add(row)
        return row.status


def give_up(mail_id: int, error: str) -> int | None:
    """Mark a mail failed after the worker exhausted its retries (admins see it).

    Returns:
        The mail's tenant id, so the job failure is filed under that tenant.
    """
    with unit_of_work() as session:
        row = session.get(OutboundMail, mail_id)
        if row is None:
            return None
        if row.status == MailStatus.QUEUED:
            row.status = MailStatus.FAILED.value
            row.last_error = error[:2000]
            session.add(row)
            audit.record(
                session,
                None,
                "mail.failed",
                tenant_id=row.tenant_id,
                target_type="mail",
                target_id=row.id,
                details={"to": row.to_address},
            )
        return row.tenant_id


def pending_mail_ids(session: Session) -> list[int]:
    """Mails stored but not delivered, e.g. after a restart of the in-process broker."""
    rows = session.exec(
        select(OutboundMail.id).where(OutboundMail.status == MailStatus.QUEUED)
    ).all()
    return [r for r in rows if r is not None]


def list_mails(session: Session, ctx: TenantContext, *, limit: int = 100) -> list[OutboundMail]:
    """The tenant's newest mails (outbox and sent), for admins."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    query = scoped(ctx, OutboundMail).order_by(col(OutboundMail.id).desc()).limit(limit)
    return list(session.exec(query).all())


def get_mail(session: Session, ctx: TenantContext, mail_id: int | str) -> OutboundMail:
    """One mail of the tenant, as its recipient sees it (admins only)."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    return get_scoped(session, ctx, OutboundMail, mail_id)


def list_dev_outbox(
    session: Session, ctx: TenantContext, *, limit: int = 100
) -> list[tuple[OutboundMail, str]]:
    """Mails of every tenant kept in the dev outbox (never sent), with the tenant's slug.

    For the platform's operators (super admins) while no SMTP server is set up, e.g. to
    follow a new tenant's first invitation. Mails that went out by SMTP are not listed.
    """
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()
    query = (
        select(OutboundMail, Tenant.slug)
        .join(Tenant, Tenant.id == OutboundMail.tenant_id)  # type: ignore[arg-type]
        .where(OutboundMail.status == MailStatus.OUTBOX.value)
        .order_by(col(OutboundMail.id).desc())
        .limit(limit)
    )
    return [(row, slug) for row, slug in session.exec(query).all()]


def get_dev_outbox_mail(session: Session, ctx: TenantContext, mail_id: int | str) -> OutboundMail:
    """One mail of the dev outbox (super admins; sent mails stay with their tenant)."""
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()
    try:
        row = session.get(OutboundMail, int(mail_id))
    except (TypeError, ValueError):
        row = None
    if row is None or row.status != MailStatus.OUTBOX.value:
        raise NotFound()
    return row


def get_template(session: Session, ctx: TenantContext, key: str, locale: str) -> TemplateSource:
    """The tenant's template (customised or default) for editing."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    if locale not in LANGUAGES:
        raise InvalidInput("error.language_invalid")
    return _tenant_source(session, ctx.tenant_id, key, locale)


def preview(session: Session, ctx: TenantContext, source: TemplateSource) -> RenderedMail:
    """Render an edited template with sample values, without saving."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    tenant = session.get(Tenant, ctx.tenant_id)
    assert tenant is not None
    return render(source, branding_of(tenant), SAMPLE_PARAMS[source.key])


def save_template(session: Session, ctx: TenantContext, source: TemplateSource) -> None:
    """Store the tenant's version after checking it renders (admins only)."""
    default_source(source.key, source.locale)
    preview(session, ctx, source)
    if (
        len(source.subject) > 300
        or len(source.body_html) > 50_000
        or len(source.body_text) > 50_000
    ):
        raise InvalidInput("error.template_too_long")
    row = session.exec(
        scoped(ctx, MailTemplate).where(
            MailTemplate.key == source.key, MailTemplate.locale == source.locale
        )
    ).first() or MailTemplate(
        tenant_id=ctx.tenant_id,
        key=source.key,
        locale=source.locale,
        subject="",
        body_html="",
        body_text="",
    )
    row.subject, row.body_html, row.body_text = source.subject, source.body_html, source.body_text
    row.updated_at = utcnow()
    session.add(row)
    audit.record(
        session,
        ctx,
        "mail.template_saved",
        target_type="mail_template",
        target_id=f"{source.key}/{source.locale}",
    )


def reset_template(session: Session, ctx: TenantContext, key: str, locale: str) -> None:
    """Go back to the shipped template (admins only)."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    row = session.exec(
        scoped(ctx, MailTemplate).where(MailTemplate.key == key, MailTemplate.locale == locale)
    ).first()
    if row is not None:
        session.delete(row)
        audit.record(
            session,
            ctx,
            "mail.template_reset",
            target_type="mail_template",
            target_id=f"{key}/{locale}",
        )
