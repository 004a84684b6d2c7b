"""Tenants: resolving them from a request, their branding, and the super admin's management."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from sqlmodel import Session, col, func, select

from app.models import BUILT_MODULES, LANGUAGES, MODULES, Role, Tenant, User
from app.services import audit
from app.services.context import TenantContext
from app.services.domains import DOMAIN_RE, assign_domains, tenant_for_host
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.mail_sender import clean_sender
from app.services.mail_transport import check_tenant_host
from app.services.secrets import encrypt

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
EMBED_ORIGIN_RE = re.compile(r"^https://([a-z0-9.-]+)(?::([0-9]{1,5}))?$")
MAX_EMBED_ORIGINS = 10
RESERVED_SLUGS = {"api", "static", "assets", "admin", "t", "_event", "_upload", "ping"}


@dataclasses.dataclass(frozen=True)
class Branding:
    """What every page and mail of a tenant shows: name, logo, colours, languages, links."""

    tenant_id: int
    slug: str
    name: str
    logo_url: str
    favicon_url: str
    primary_color: str
    accent_color: str
    on_primary: str
    languages: tuple[str, ...]
    default_language: str
    modules: tuple[str, ...]
    privacy_url: str
    imprint_url: str
    terms_url: str
    privacy_default_notice: bool = False  # guests read the platform's default notice


def _luminance(color: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = []
    for i in (1, 3, 5):
        c = int(color[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def readable_text_on(background: str) -> str:
    """White or near-black, whichever contrasts more with ``background`` (WCAG ratio)."""
    if not COLOR_RE.match(background):
        return "#ffffff"
    lum = _luminance(background)
    on_white = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance("#111111") + 0.05)
    return "#ffffff" if on_white >= on_dark else "#111111"


def branding_of(tenant: Tenant) -> Branding:
    """Snapshot the public look of ``tenant``."""
    assert tenant.id is not None
    return Branding(
        tenant_id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        logo_url=tenant.logo_url or "",
        favicon_url=tenant.favicon_url or "",
        primary_color=tenant.primary_color,
        accent_color=tenant.accent_color,
        on_primary=readable_text_on(tenant.primary_color),
        languages=tuple(tenant.languages),
        default_language=tenant.default_language,
        modules=tuple(m for m in tenant.modules if m in BUILT_MODULES),
        privacy_url=tenant.privacy_url or "",
        imprint_url=tenant.imprint_url or "",
        terms_url=tenant.terms_url or "",
        privacy_default_notice=tenant.privacy_default_notice and not tenant.privacy_url,
    )


def resolve_tenant(
    session: Session, *, host: str = "", slug: str = "", default: str = ""
) -> Tenant:
    """Find the tenant a request is for.

    Order: an explicit ``/t/{slug}`` wins; else the request's host is matched against the
    tenants' proven custom domains (``tenant_for_host``: a pending claim or one of the
    platform's own hosts never matches); else ``default`` (the platform's root tenant).

    Raises:
        NotFound: ``error.tenant_not_found`` when nothing matches, ``error.tenant_suspended``
            when the tenant is deactivated.
    """
    tenant: Tenant | None = None
    if slug:
        tenant = session.exec(select(Tenant).where(Tenant.slug == slug.lower())).first()
    else:
        tenant = tenant_for_host(session, host)
        if tenant is None and default:
            tenant = session.exec(select(Tenant).where(Tenant.slug == default)).first()
    if tenant is None:
        raise NotFound("error.tenant_not_found")
    if not tenant.active:
        raise NotFound("error.tenant_suspended")
    return tenant


def _require_super_admin(ctx: TenantContext) -> None:
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()


def require_tenant_admin(ctx: TenantContext) -> None:
    """Refuse anyone but the tenant's admins (and super admins)."""
    if ctx.role not in (Role.ADMIN, Role.SUPER_ADMIN):
        raise AccessDenied()


def list_tenants(session: Session, ctx: TenantContext) -> list[tuple[Tenant, int]]:
    """All tenants with their user counts (super admins only)."""
    _require_super_admin(ctx)
    counts = dict(
        session.exec(select(User.tenant_id, func.count()).group_by(col(User.tenant_id))).all()
    )
    tenants = session.exec(select(Tenant).order_by(col(Tenant.name))).all()
    return [(t, int(counts.get(t.id or 0, 0))) for t in tenants]


def clean_embed_origins(raw: list[str] | str) -> list[str]:
    """The https origins that may frame the tenant's pages, normalised; InvalidInput otherwise.

    Only bare https origins (``https://host`` or ``https://host:port``): no path, no
    wildcard, no plain http, since whoever frames the pages can overlay them.
    """
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    origins = []
    for item in items:
        origin = item.strip().lower().rstrip("/")
        if not origin:
            continue
        match = EMBED_ORIGIN_RE.match(origin)
        port = int(match.group(2)) if match and match.group(2) else 443
        if not match or not DOMAIN_RE.match(match.group(1)) or not 0 < port < 65536:
            raise InvalidInput("error.embed_origin_invalid", origin=item.strip()[:80])
        origins.append(origin.removesuffix(":443"))
    origins = sorted(set(origins))
    if len(origins) > MAX_EMBED_ORIGINS:
        raise InvalidInput("error.embed_origins_too_many", limit=MAX_EMBED_ORIGINS)
    return origins


def create_tenant(
    session: Session,
    ctx: TenantContext,
    *,
    slug: str,
    name: str,
    domains: list[str] | str = "",
) -> Tenant:
    """Create a tenant (super admins only). Its first admin is invited separately.

    ``domains`` (hosts separated by spaces or commas) are approved at once: the super admin
    vouches for them (see ``app.services.domains.assign_domains``).
    """
    _require_super_admin(ctx)
    slug = slug.strip().lower()
    name = name.strip()
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise InvalidInput("error.slug_invalid")
    if not name or len(name) > 120:
        raise InvalidInput("error.name_required")
    if session.exec(select(Tenant).where(Tenant.slug == slug)).first() is not None:
        raise InvalidInput("error.slug_taken", slug=slug)
    tenant = Tenant(slug=slug, name=name)
    session.add(tenant)
    session.flush()
    hosts = assign_domains(session, ctx, tenant, domains)
    audit.record(
        session,
        ctx,
        "tenant.created",
        target_type="tenant",
        target_id=tenant.id,
        details={"slug": slug, "name": name, "domains": hosts},
    )
    return tenant


def set_tenant_active(
    session: Session, ctx: TenantContext, tenant_id: int | str, active: bool
) -> Tenant:
    """Suspend or re-enable a tenant (super admins only)."""
    _require_super_admin(ctx)
    tenant = session.get(Tenant, int(tenant_id)) if str(tenant_id).isdigit() else None
    if tenant is None:
        raise NotFound()
    if tenant.id == ctx.tenant_id and not active:
        raise InvalidInput("error.cannot_disable_own_tenant")
    tenant.active = active
    session.add(tenant)
    audit.record(
        session,
        ctx,
        "tenant.activated" if active else "tenant.suspended",
        target_type="tenant",
        target_id=tenant.id,
    )
    return tenant


def get_tenant(session: Session, ctx: TenantContext) -> Tenant:
    """The caller's own tenant."""
    tenant = session.get(Tenant, ctx.tenant_id)
    if tenant is None:
        raise NotFound()
    return tenant


def check_url(value: str) -> str | None:
    """An http(s) address, None when empty; InvalidInput otherwise."""
    value = value.strip()
    if not value:
        return None
    if not re.match(r"^https?://[^\s<>\"']+$", value) or len(value) > 500:
        raise InvalidInput("error.url_invalid", url=value[:80])
    return value


def clean_modules(wanted: list[str] | tuple[str, ...]) -> list[str]:
    """The modules to switch on, in canonical order; InvalidInput for any not built yet.

    A module on the roadmap (booking, portal, recording...) cannot be switched on: the
    landing page would advertise it and customers would find nothing behind it.
    """
    unknown = set(wanted) - set(MODULES)
    if unknown:
        raise InvalidInput("error.invalid_input")
    if set(wanted) - set(BUILT_MODULES):
        raise InvalidInput("error.module_not_available")
    return [m for m in MODULES if m in set(wanted)]


def update_branding(session: Session, ctx: TenantContext, **changes: Any) -> Tenant:
    """Change the caller's tenant's look and settings (tenant admins).

    Accepted keys: name, logo_url, favicon_url, primary_color, accent_color, languages,
    default_language, modules, password_min_length, privacy_url, imprint_url, terms_url,
    embed_origins, mail_from. Everything is validated before anything changes. (Custom
    domains have their own proof: ``app/services/domains.py``.)
    """
    require_tenant_admin(ctx)
    tenant = get_tenant(session, ctx)
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            value = str(value).strip()
            if not value or len(value) > 120:
                raise InvalidInput("error.name_required")
        elif key in ("primary_color", "accent_color"):
            value = str(value).strip()
            if not COLOR_RE.match(value):
                raise InvalidInput("error.color_invalid", color=value[:20])
        elif key in ("logo_url", "favicon_url", "privacy_url", "imprint_url", "terms_url"):
            value = check_url(str(value or ""))
        elif key == "languages":
            value = [lang for lang in LANGUAGES if lang in set(value)]
            if not value:
                raise InvalidInput("error.languages_required")
        elif key == "default_language":
            if value not in LANGUAGES:
                raise InvalidInput("error.languages_required")
        elif key == "modules":
            value = clean_modules(value)
        elif key == "password_min_length":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InvalidInput("error.min_length_range") from None
            if not 8 <= value <= 128:
                raise InvalidInput("error.min_length_range")
        elif key == "embed_origins":
            value = clean_embed_origins(value)
        elif key == "mail_from":  # only on the tenant's proven domains or the platform's
            assert tenant.id is not None
            value = clean_sender(session, tenant.id, str(value or ""))
        else:
            raise InvalidInput("error.invalid_input")
        clean[key] = value
    languages = clean.get("languages", tenant.languages)
    default_language = clean.get("default_language", tenant.default_language)
    if default_language not in languages:
        raise InvalidInput("error.default_language_not_enabled")
    before = {key: getattr(tenant, key) for key in clean}
    for key, value in clean.items():
        setattr(tenant, key, value)
    if "privacy_url" in clean and clean["privacy_url"] != before["privacy_url"]:
        # Consents name the notice with this version (app/services/privacy_notice.py).
        tenant.privacy_notice_version += 1
    session.add(tenant)
    changed = {k: {"from": before[k], "to": v} for k, v in clean.items() if before[k] != v}
    if changed:
        audit.record(
            session,
            ctx,
            "tenant.branding_changed",
            target_type="tenant",
            target_id=tenant.id,
            details=changed,
        )
    return tenant


def update_smtp(
    session: Session,
    ctx: TenantContext,
    *,
    host: str,
    port: int | str,
    username: str,
    password: str | None,
) -> Tenant:
    """Set the tenant's own SMTP server; the password is stored encrypted, never shown again.

    ``password=None`` keeps the stored password only while host, port and user name stay the
    same: a changed server never gets the password given for the old one (the admin types it
    again). An empty host clears the tenant's SMTP.
    The host must resolve to public addresses only (see ``mail_transport.check_tenant_host``);
    mail to it always goes over TLS (implicit on port 465, else STARTTLS).
    """
    require_tenant_admin(ctx)
    tenant = get_tenant(session, ctx)
    host = host.strip()
    if host and not re.match(r"^[A-Za-z0-9.-]{1,200}$", host):
        raise InvalidInput("error.smtp_host_invalid")
    try:
        port_number = int(port) if host else None
    except (TypeError, ValueError):
        raise InvalidInput("error.smtp_port_invalid") from None
    if port_number is not None and not 1 <= port_number <= 65535:
        raise InvalidInput("error.smtp_port_invalid")
    if host:
        check_tenant_host(host, port_number or 587)
    user = username.strip() or None if host else None
    password_before = tenant.smtp_password_encrypted
    server_changed = (host or None, port_number, user) != (
        tenant.smtp_host,
        tenant.smtp_port,
        tenant.smtp_username,
    )
    tenant.smtp_host, tenant.smtp_port, tenant.smtp_username = host or None, port_number, user
    if password is not None:
        tenant.smtp_password_encrypted = encrypt(password) if password and host else None
    elif server_changed:  # the stored password was given for another server: never send it there
        tenant.smtp_password_encrypted = None
    session.add(tenant)
    audit.record(
        session,
        ctx,
        "tenant.smtp_changed",
        target_type="tenant",
        target_id=tenant.id,
        details={
            "host": tenant.smtp_host,
            "port": tenant.smtp_port,
            "password_changed": tenant.smtp_password_encrypted != password_before,
        },
    )
    return tenant
