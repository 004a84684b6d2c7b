"""The one guard for role and tenant, used by every state handler, page and API route."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Role
from app.services import sessions
from app.services.context import TenantContext
from app.services.errors import AccessDenied

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.ADVISOR, Role.SUPER_ADMIN})
ADMINS = frozenset({Role.ADMIN, Role.SUPER_ADMIN})


def authorize(
    session: Session, token: str, *, tenant_id: int | None, roles: frozenset[Role] | set[Role]
) -> TenantContext:
    """Turn a session token into a context, or refuse.

    Args:
        session: open unit of work.
        token: the browser's session token.
        tenant_id: the tenant the request is addressed to (from host or /t/{slug}); a session
            of another tenant is refused, except a super admin's on super-admin pages
            (pass ``tenant_id=None`` there).
        roles: roles allowed for this action.

    Raises:
        NotSignedIn: no valid session.
        AccessDenied: wrong tenant or role.
    """
    signed_in = sessions.validate(session, token)
    if tenant_id is not None and signed_in.tenant_id != tenant_id:
        raise AccessDenied()
    if signed_in.role not in roles:
        raise AccessDenied()
    return TenantContext(
        tenant_id=signed_in.tenant_id,
        tenant_slug=signed_in.tenant_slug,
        user_id=signed_in.user_id,
        role=signed_in.role,
        actor_label=signed_in.email,
        timezone=signed_in.timezone,
    )
