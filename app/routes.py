"""Route paths and URL builders, shared by pages, mails, e2e tests and load tests.

Every tenant page exists twice: under ``/t/{slug}/...`` (shared platform host) and at the
root (a tenant's custom domain, or the default tenant in development).
"""

from __future__ import annotations

from urllib.parse import unquote, urlencode, urlsplit

from app.settings import get_settings

TENANT_PREFIX = "/t/[tenant]"

LANDING = "/"
LOGIN = "/login"
SECOND_FACTOR = "/login/code"
FORGOT_PASSWORD = "/password/forgot"  # noqa: S105 (a route)
RESET_PASSWORD = "/password/reset"  # noqa: S105 (a route)
ACTIVATE = "/activate"
HOME = "/home"
ADVISOR = "/advisor"
CUSTOMER = "/customer"
ACCOUNT = "/account"
ADMIN_USERS = "/admin/users"
ADMIN_TEAMS = "/admin/teams"
ADMIN_BRANDING = "/admin/branding"
ADMIN_MAIL = "/admin/mail"
ADMIN_AUDIT = "/admin/audit"
ADMIN_JOBS = "/admin/jobs"
PLATFORM_TENANTS = "/platform/tenants"
PLATFORM_OUTBOX = "/platform/outbox"
PLATFORM_HEALTH = "/platform/health"
MEETING = "/meeting/[room]"
TEST_CENTER = "/test-center"
PRIVACY_NOTICE = "/privacy-notice"  # the platform's default notice, for tenants that adopt it
FORBIDDEN = "/forbidden"
NOT_FOUND = "404"  # Reflex's route for every path no page matches

# Plain HTTP endpoints where the server sets and clears the HttpOnly session cookie.
SESSION_START = "/api/session/start"
SESSION_END = "/api/session/end"


def meeting(room: str) -> str:
    """The page of one meeting room (``MEETING`` filled in)."""
    return MEETING.replace("[room]", room)


def tenant_route(path: str) -> str:
    """The ``/t/[tenant]`` variant of a tenant page route, as registered with Reflex."""
    return TENANT_PREFIX + ("" if path == "/" else path)


def prefix_for(slug: str, *, on_custom_domain: bool) -> str:
    """Path prefix of a tenant's pages as seen by the browser."""
    return "" if on_custom_domain else f"/t/{slug}"


def path(prefix: str, page: str, **query: str) -> str:
    """A browser path: tenant prefix + page + optional query string."""
    base = (prefix + page) if page != "/" else (prefix or "/")
    return f"{base}?{urlencode(query)}" if query else base


def absolute_url(slug: str, domains: list[str], page: str, **query: str) -> str:
    """An absolute link for mails: the tenant's first custom domain, else the platform URL.

    ``domains`` must be the tenant's proven ones (``services.domains.routable_domains``): a
    mere claim would send recipients to a host the tenant may not own.
    """
    if domains:
        return f"https://{domains[0]}" + path("", page, **query)
    base = get_settings().public_url.rstrip("/")
    return base + path(f"/t/{slug}", page, **query)


def safe_next(target: str, prefix: str, fallback: str) -> str:
    """``target`` if it is a path on this site inside the tenant's pages, else ``fallback``.

    Used for every "come back here afterwards" (``?next=``). Only a relative path is taken:
    no scheme or host, no ``//`` or backslash (browsers read ``/\\host`` as another site), no
    control characters (``/<TAB>/host``), no ``..`` segments, not below ``/api`` or ``/_``;
    the checks apply to the percent-decoded form too.

    Args:
        target: what the browser asked for.
        prefix: the tenant's path prefix (``/t/{slug}``, or "" on its own domain).
        fallback: where to go instead.
    """
    if not target or len(target) > 2000:
        return fallback
    forms = [target]
    for _ in range(3):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    for form in forms:
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return fallback
        if any(ord(c) < 32 or ord(c) == 127 for c in form):
            return fallback
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return fallback
        segments = parts.path.split("/")
        if ".." in segments or "." in segments:
            return fallback
        if parts.path.startswith(("/api/", "/_")) or parts.path == "/api":
            return fallback
        if prefix and parts.path != prefix and not parts.path.startswith(prefix + "/"):
            return fallback
    return target
