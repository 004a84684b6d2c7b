"""Small builders for tenants, users and contexts used across service tests."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from app.models import Role, Tenant, User, UserStatus
from app.services import passwords
from app.services.context import TenantContext

PASSWORD = "correct horse battery staple"


def make_tenant(session: Session, slug: str, **fields: object) -> Tenant:
    """A tenant with the given slug (and a privacy notice, so guests may join its meetings:
    pass ``privacy_url=None`` for one without)."""
    fields.setdefault("privacy_url", f"https://{slug}.example/privacy")
    tenant = Tenant(slug=slug, name=slug.title(), **fields)  # type: ignore[arg-type]
    session.add(tenant)
    session.commit()
    return tenant


def make_user(
    session: Session,
    tenant: Tenant,
    email: str,
    role: Role,
    *,
    status: UserStatus = UserStatus.ACTIVE,
    password: str = PASSWORD,
) -> User:
    """An account with a known password."""
    assert tenant.id is not None
    user = User(
        tenant_id=tenant.id,
        email=email,
        display_name=email.split("@")[0].title(),
        role=role.value,
        status=status.value,
        locale="en",
        password_hash=passwords.hash_password(password),
    )
    session.add(user)
    session.commit()
    return user


def context_of(tenant: Tenant, user: User) -> TenantContext:
    """The context the guard would build for ``user``."""
    assert tenant.id is not None
    return TenantContext(tenant.id, tenant.slug, user.id, Role(user.role), user.email)


@dataclasses.dataclass
class TenantWorld:
    """A tenant with one user per role and their contexts."""

    tenant: Tenant
    admin: User
    advisor: User
    customer: User

    @property
    def admin_ctx(self) -> TenantContext:
        return context_of(self.tenant, self.admin)

    @property
    def advisor_ctx(self) -> TenantContext:
        return context_of(self.tenant, self.advisor)

    @property
    def customer_ctx(self) -> TenantContext:
        return context_of(self.tenant, self.customer)


def make_world(session: Session, slug: str, *, admins_need_2fa: bool = False) -> TenantWorld:
    """A tenant ``slug`` with admin@, advisor@ and customer@{slug}.example.

    Its admins act without a second factor unless ``admins_need_2fa`` (the production
    default, pinned in tests/services/test_admin_2fa.py)."""
    tenant = make_tenant(session, slug, admins_need_2fa=admins_need_2fa)
    return TenantWorld(
        tenant=tenant,
        admin=make_user(session, tenant, f"admin@{slug}.example", Role.ADMIN),
        advisor=make_user(session, tenant, f"advisor@{slug}.example", Role.ADVISOR),
        customer=make_user(session, tenant, f"customer@{slug}.example", Role.CUSTOMER),
    )
