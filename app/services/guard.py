"""The one guard for role and tenant, used by every state handler, page and API route.

The rule "a session counts only on the pages of its own tenant" lives here and nowhere
else: :func:`signed_in_here` is what pages, handlers and the meeting room ask.
"""

from __future__ import annotations

import enum

from sqlmodel import Session

from app.models import Role
from app.services import sessions
from app.services.context import TenantContext
from app.services.errors import AccessDenied, NotSignedIn

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.ADVISOR, Role.SUPER_ADMIN})
ADMINS = frozenset({Role.ADMIN, Role.SUPER_ADMIN})
SUPER_ADMINS = frozenset({Role.SUPER_ADMIN})
HOSTS = frozenset({Role.ADVISOR, Role.ADMIN})

# Who may open which kind of page (the key each page module passes to its on_load).
PAGE_ROLES: dict[str, frozenset[Role]] = {
    "any": ALL_ROLES,
    "staff": STAFF,
    "advisor": HOSTS,
    "customer": frozenset({Role.CUSTOMER}),
    "admin": ADMINS,
    "super_admin": SUPER_ADMINS,
}


class PageAccess(enum.StrEnum):
    """What a page's on_load guard decides."""

    GRANTED = "granted"
    DENIED = "denied"  # signed in, but not with a role of the page (the 403 view)
    SIGN_IN = "sign_in"  # nobody (valid) signed in: to the login page and back
    ENROL_2FA = "enrol_2fa"  # an admin who must first set up two-factor authentication


def _session_here(session: Session, token: str, tenant_id: int) -> sessions.SignedIn:
    """The session behind ``token``, valid on the pages of ``tenant_id`` (the one place
    where "a session counts only in its own tenant" is decided).

    Raises:
        NotSignedIn: no valid session (with the reason, e.g. expired).
        AccessDenied: the session belongs to another tenant.
    """
    who = sessions.validate(session, token)
    if not tenant_id or who.tenant_id != tenant_id:
        raise AccessDenied()
    return who


def _decide(who: sessions.SignedIn, roles: frozenset[Role] | set[Role]) -> PageAccess:
    """Whether ``who`` may act with one of ``roles`` (admins must first enrol a second factor
    where their tenant demands it; until then only what every role may do is open)."""
    if who.role not in roles:
        return PageAccess.DENIED
    if not who.may_act_in_role and roles != ALL_ROLES:
        return PageAccess.ENROL_2FA
    return PageAccess.GRANTED


def signed_in_here(session: Session, token: str, tenant_id: int) -> sessions.SignedIn | None:
    """The session behind ``token`` if it is valid on the pages of ``tenant_id``, else None."""
    if not token:
        return None
    try:
        return _session_here(session, token, tenant_id)
    except (NotSignedIn, AccessDenied):
        return None


def check_page(
    session: Session, token: str, tenant_id: int, roles_key: str
) -> tuple[PageAccess, sessions.SignedIn | None]:
    """Decide whether the browser of ``token`` may open a page of kind ``roles_key``."""
    who = signed_in_here(session, token, tenant_id)
    if who is None:
        return PageAccess.SIGN_IN, None
    return _decide(who, PAGE_ROLES.get(roles_key, frozenset())), who


def authorize(
    session: Session, token: str, *, tenant_id: int, roles: frozenset[Role] | set[Role]
) -> TenantContext:
    """Turn a session token into a context, or refuse.

    Args:
        session: open unit of work.
        token: the browser's session token.
        tenant_id: the tenant the request is addressed to (from host or /t/{slug}); a session
            of another tenant is refused (super admins work on the platform tenant's pages).
        roles: roles allowed for this action.

    Raises:
        NotSignedIn: no valid session.
        AccessDenied: wrong tenant or role, or an admin who must first enrol a second factor
            (``error.admin_2fa_required``; only actions open to every role remain).
    """
    who = _session_here(session, token, tenant_id)
    decision = _decide(who, roles)
    if decision is PageAccess.DENIED:
        raise AccessDenied()
    if decision is PageAccess.ENROL_2FA:
        raise AccessDenied("error.admin_2fa_required")
    return context_of(who)


def context_of(who: sessions.SignedIn) -> TenantContext:
    """The service context of a validated session."""
    return TenantContext(
        tenant_id=who.tenant_id,
        tenant_slug=who.tenant_slug,
        user_id=who.user_id,
        role=who.role,
        actor_label=who.email,
        timezone=who.timezone,
    )
