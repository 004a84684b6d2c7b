"""Mail templates: the shipped texts, tenants' own versions, rendering, preview and editing.

Tenant admins edit templates (subject, HTML and text body per language), so a template is
untrusted code: it renders in a sandbox child process with limits
(``app.services.mail_renderer``), never in the web backend itself. The branded layout around
the body is ours and renders here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import jinja2
from sqlmodel import Session, select

from app.i18n import LANGUAGES, translate
from app.models import MailTemplate, Tenant
from app.models.base import utcnow
from app.services import audit, mail_renderer
from app.services.context import TenantContext, scoped
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.guard import ADMINS
from app.services.tenants import Branding, branding_of
from app.settings import get_settings

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
MAX_SUBJECT = 300
MAX_BODY = 50_000
_LAYOUT = (
    Path(__file__).resolve().parent.parent / "templates" / "mail" / "layout.html"
).read_text()
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
    """A mail ready to send (or to show)."""

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


def source_for(session: Session, tenant_id: int, key: str, locale: str) -> TemplateSource:
    """The template a tenant's mail uses: the tenant's own version, else the shipped one."""
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


def _check_size(source: TemplateSource) -> None:
    if (
        len(source.subject) > MAX_SUBJECT
        or len(source.body_html) > MAX_BODY
        or len(source.body_text) > MAX_BODY
    ):
        raise InvalidInput("error.template_too_long")


def render(source: TemplateSource, brand: Branding, params: dict[str, Any]) -> RenderedMail:
    """Render a template (in a sandbox child) and wrap the body in the tenant's layout.

    Blocks the calling thread for at most a few seconds (the state guard runs handler
    bodies in a worker thread, so the event loop keeps serving meanwhile).

    Raises:
        InvalidInput: ``error.template_invalid`` with the Jinja message when the source is
            broken or uses an unknown placeholder; ``error.template_too_expensive`` when it
            asks for too much computation, memory or output; ``error.template_too_long``.
    """
    _check_size(source)
    parts = mail_renderer.render_parts(
        source.subject, source.body_html, source.body_text, {**params, "tenant": brand.name}
    )
    subject = parts["subject"].strip()
    if "\n" in subject or "\r" in subject or len(subject) > 1_000:
        raise InvalidInput("error.template_invalid", detail="subject")
    if brand.logo_url.startswith("/"):  # an uploaded logo: mail clients need the full address
        brand = dataclasses.replace(
            brand, logo_url=get_settings().public_url.rstrip("/") + brand.logo_url
        )
    html = _layout.render(
        locale=source.locale,
        subject=subject,
        brand=brand,
        body=jinja2.utils.markupsafe.Markup(parts["html"]),
        footer_imprint=translate(source.locale, "footer.imprint"),
        footer_privacy=translate(source.locale, "footer.privacy"),
    )
    return RenderedMail(subject=subject, html=html, text=parts["text"])


def _require_admin(ctx: TenantContext) -> None:
    if ctx.role not in ADMINS:
        raise AccessDenied()


def get_template(session: Session, ctx: TenantContext, key: str, locale: str) -> TemplateSource:
    """The tenant's template (customised or default) for editing."""
    _require_admin(ctx)
    if locale not in LANGUAGES:
        raise InvalidInput("error.language_invalid")
    return source_for(session, ctx.tenant_id, key, locale)


def preview(session: Session, ctx: TenantContext, source: TemplateSource) -> RenderedMail:
    """Render an edited template with sample values, without saving (see :func:`render`)."""
    _require_admin(ctx)
    default_source(source.key, source.locale)
    tenant = session.get(Tenant, ctx.tenant_id)
    assert tenant is not None
    return render(source, branding_of(tenant), SAMPLE_PARAMS[source.key])


def save_template(session: Session, ctx: TenantContext, source: TemplateSource) -> None:
    """Store the tenant's version after checking it renders (admins only)."""
    preview(session, ctx, source)
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
    _require_admin(ctx)
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
