"""Mail templates: the shipped texts, tenants' own versions, rendering, preview and editing.

Tenant admins edit templates (subject, HTML and text body per language), so a template is
untrusted code: it renders in a sandbox child process with limits
(``app.services.mail_renderer``), never in the web backend itself, and its HTML is cleaned
from an allowlist (``app.services.mail_html``). The branded layout around the body is ours
and renders here, and only the layout carries the recipient's personal link (one labelled
button in the HTML, one line in the text): a template never sees the link, and one that
asks for ``{{ link }}`` is refused. Templates saved before that rule get the
"[personal link]" placeholder text in its place.

Previews and saves take a turn at the render children (one per tenant at a time, a rate
limit per tenant, a short wait), so one tenant's admin cannot hold every handler thread or
every child; a save also renders the template with long, non-ASCII values, so a template
that is cheap for the sample but expensive for real names is refused before it is stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from sqlmodel import Session, select

from app.i18n import LANGUAGES, translate
from app.models import MailTemplate, Tenant
from app.models.base import utcnow
from app.services import audit, mail_renderer, rate_limits
from app.services.context import TenantContext, scoped
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.guard import ADMINS
from app.services.tenants import Branding, branding_of
from app.settings import get_settings

TEMPLATE_KEYS = ("invitation", "password_reset", "meeting_invitation")
ACCOUNT_MAILS = frozenset({"invitation", "password_reset"})
"""Mails whose link lets its holder set the account's password: they always go through the
platform's SMTP server, never a tenant's (``app.services.mail_transport.server_for``)."""
PERSONAL_LINK = "link"
"""The placeholder templates may no longer use: the layout renders the personal link."""
SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "invitation": {"name": "Maria Muster", "hours": 72},
    "meeting_invitation": {
        "name": "Maria Muster",
        "host": "Max Berater",
        "title": "Beratung Hausrat",
    },
    "password_reset": {"name": "Maria Muster", "minutes": 30},
}
SAMPLE_LINKS = {
    "invitation": "https://example.org/activate?token=…",
    "meeting_invitation": "https://example.org/meeting/…?k=…",
    "password_reset": "https://example.org/reset?token=…",
}
_LONG = "Åsa-Ñoëlle Ōkubo-Dvořák 王秀英 Σοφία ﷺ 👩🏽‍💼 "
"""Real values a template must also cope with: long, accented, other scripts, emoji."""
WORST_CASE_PARAMS: dict[str, dict[str, Any]] = {
    "invitation": {"name": (_LONG * 5)[:120], "hours": 8760},
    "meeting_invitation": {
        "name": (_LONG * 3)[:80],
        "host": (_LONG * 5)[:120],
        "title": (_LONG * 8)[:200],
    },
    "password_reset": {"name": (_LONG * 5)[:120], "minutes": 10080},
}
"""Values at the limits of what real mails carry (names 120, guests 80, titles 200)."""
EXPENSIVE_PREVIEW_COST = 5
"""Previews a preview stopped as too expensive counts as: with the default budget (30 a
minute) one tenant keeps a render child busy for at most about 18 s a minute."""
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


@dataclasses.dataclass(frozen=True)
class Body:
    """The tenant's part of a mail, rendered: subject, safe HTML body, text body."""

    subject: str
    html: str
    text: str


def _check_size(source: TemplateSource) -> None:
    if (
        len(source.subject) > MAX_SUBJECT
        or len(source.body_html) > MAX_BODY
        or len(source.body_text) > MAX_BODY
    ):
        raise InvalidInput("error.template_too_long")


def render_body(
    source: TemplateSource,
    brand: Branding,
    params: dict[str, Any],
    *,
    refuse_link: bool = False,
    wait: float | None = None,
) -> Body:
    """Render the tenant's part of a mail in a sandbox child (see ``mail_renderer``).

    Blocks the calling thread for a few seconds at most (the state guard runs handler
    bodies in a worker thread, so the event loop keeps serving meanwhile).

    Args:
        refuse_link: refuse a template that uses ``{{ link }}`` (previews and saves).
        wait: how long to wait for a free render child (default: an outgoing mail's wait).

    Raises:
        InvalidInput: ``error.template_invalid`` with the Jinja message when the source is
            broken or uses an unknown placeholder; ``error.template_too_expensive`` when it
            asks for too much computation, memory or output; ``error.template_too_long``;
            ``error.template_personal_link``; ``error.mail_busy``.
    """
    _check_size(source)
    parts = mail_renderer.render_parts(
        source.subject,
        source.body_html,
        source.body_text,
        {**params, "tenant": brand.name},
        forbidden=frozenset({PERSONAL_LINK}) if refuse_link else frozenset(),
        wait=wait,
    )
    subject = parts["subject"].strip()
    if "\n" in subject or "\r" in subject or len(subject) > 1_000:
        raise InvalidInput("error.template_invalid", detail="subject")
    return Body(subject=subject, html=parts["html"], text=parts["text"])


def assemble(body: Body, source: TemplateSource, brand: Branding, link: str | None) -> RenderedMail:
    """Wrap a rendered body in the tenant's layout, with the personal ``link`` if any.

    The link appears once in the HTML (a button labelled ``mail.<key>.button`` after the
    body) and once in the text (a last line "label: link"), in the mail's language.
    """
    if brand.logo_url.startswith("/"):  # an uploaded logo: mail clients need the full address
        brand = dataclasses.replace(
            brand, logo_url=get_settings().public_url.rstrip("/") + brand.logo_url
        )
    label = translate(source.locale, f"mail.{source.key}.button")
    html = _layout.render(
        locale=source.locale,
        subject=body.subject,
        brand=brand,
        body=jinja2.utils.markupsafe.Markup(body.html),
        action={"url": link, "label": label} if link is not None else None,
        footer_imprint=translate(source.locale, "footer.imprint"),
        footer_privacy=translate(source.locale, "footer.privacy"),
    )
    text = body.text
    if link is not None:
        line = f"{label}: {link}\n"
        text = f"{text.rstrip()}\n\n{line}" if text.strip() else line
    return RenderedMail(subject=body.subject, html=html, text=text)


def _require_admin(ctx: TenantContext) -> None:
    if ctx.role not in ADMINS:
        raise AccessDenied()


def get_template(session: Session, ctx: TenantContext, key: str, locale: str) -> TemplateSource:
    """The tenant's template (customised or default) for editing."""
    _require_admin(ctx)
    if locale not in LANGUAGES:
        raise InvalidInput("error.language_invalid")
    return source_for(session, ctx.tenant_id, key, locale)


def _checked(session: Session, ctx: TenantContext, source: TemplateSource) -> RenderedMail:
    """The preview of ``source`` (sample values, sample link); inside a preview turn."""
    tenant = session.get(Tenant, ctx.tenant_id)
    assert tenant is not None
    brand = branding_of(tenant)
    wait = get_settings().mail_preview_wait_seconds
    body = render_body(source, brand, SAMPLE_PARAMS[source.key], refuse_link=True, wait=wait)
    return assemble(body, source, brand, SAMPLE_LINKS[source.key])


@contextlib.contextmanager
def _turn(ctx: TenantContext, source: TemplateSource) -> Iterator[None]:
    """A preview's turn at the render children, counted against the tenant's budget; a
    render stopped as too expensive (it held a child for seconds) costs
    :data:`EXPENSIVE_PREVIEW_COST` previews."""
    _require_admin(ctx)
    default_source(source.key, source.locale)
    rate_limits.TEMPLATE_PREVIEWS.take(str(ctx.tenant_id))
    with mail_renderer.preview_turn(ctx.tenant_id):
        try:
            yield
        except InvalidInput as exc:
            if exc.key == "error.template_too_expensive":
                for _ in range(EXPENSIVE_PREVIEW_COST - 1):
                    rate_limits.TEMPLATE_PREVIEWS.count(str(ctx.tenant_id))
            raise


def preview(session: Session, ctx: TenantContext, source: TemplateSource) -> RenderedMail:
    """Render an edited template with sample values, without saving (admins only).

    Raises:
        InvalidInput: as :func:`render_body`, and ``error.template_busy`` when this
            tenant's previous preview is still rendering or no render child is free soon.
        TooManyAttempts: too many previews of this tenant lately.
    """
    with _turn(ctx, source):
        return _checked(session, ctx, source)


def save_template(session: Session, ctx: TenantContext, source: TemplateSource) -> None:
    """Store the tenant's version after checking it renders (admins only).

    Checked with the sample values and with :data:`WORST_CASE_PARAMS`: a template that only
    the sample keeps cheap would cost every real mail the render's time limit.
    """
    with _turn(ctx, source):
        _checked(session, ctx, source)
        tenant = session.get(Tenant, ctx.tenant_id)
        assert tenant is not None
        brand = dataclasses.replace(branding_of(tenant), name=(_LONG * 5)[:120])
        render_body(
            source,
            brand,
            WORST_CASE_PARAMS[source.key],
            refuse_link=True,
            wait=get_settings().mail_preview_wait_seconds,
        )
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
