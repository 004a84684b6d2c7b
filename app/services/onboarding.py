"""Opening a new tenant: the tenant (its domains approved at once) and its first admin's
invitation, in one step by a super admin, so neither exists without the other."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Role, Tenant, User
from app.services import tenants, users
from app.services.context import TenantContext
from app.services.errors import AccessDenied


def open_tenant(
    session: Session,
    ctx: TenantContext,
    *,
    slug: str,
    name: str,
    domains: str,
    admin_email: str,
    admin_name: str,
) -> Tenant:
    """Create a tenant and invite its first admin (super admins only; all or nothing)."""
    tenant = tenants.create_tenant(session, ctx, slug=slug, name=name, domains=domains)
    invite_first_admin(session, ctx, tenant, email=admin_email, display_name=admin_name)
    return tenant


def invite_first_admin(
    session: Session, ctx: TenantContext, tenant: Tenant, *, email: str, display_name: str
) -> User:
    """Invite the first admin of a new tenant on its behalf (super admins only)."""
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()
    assert tenant.id is not None
    acting_for = TenantContext(
        tenant.id, tenant.slug, ctx.user_id, Role.SUPER_ADMIN, ctx.actor_label
    )
    return users.invite_user(
        session, acting_for, email=email, display_name=display_name, role=Role.ADMIN
    )
