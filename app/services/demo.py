"""Demo data for `make dev`: an operator tenant with a super admin, and one insurer.

Only in dev mode, and only while ``CONSILIO_DEMO_DATA`` is on.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import Session, select

from app.models import Role, Team, Tenant, User, UserStatus
from app.services import audit, passwords
from app.services.context import TenantContext
from app.settings import get_settings

DEMO_PASSWORD = "Consilio-Demo-2026"  # noqa: S105 (published demo credential)


class DemoDataRefused(Exception):
    """Demo accounts (published password) asked for outside dev mode."""


@dataclasses.dataclass(frozen=True)
class DemoLogin:
    """A demo account as printed by `make dev`."""

    tenant_slug: str
    email: str
    role: str


DEMO_LOGINS = (
    DemoLogin("platform", "super@consilio.example", Role.SUPER_ADMIN.value),
    DemoLogin("demo", "admin@alpina.example", Role.ADMIN.value),
    DemoLogin("demo", "anna.berger@alpina.example", Role.ADVISOR.value),
    DemoLogin("demo", "max.muster@example.com", Role.CUSTOMER.value),
)


def _tenant(session: Session, slug: str, **fields: object) -> Tenant:
    tenant = session.exec(select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        tenant = Tenant(slug=slug, **fields)  # type: ignore[arg-type]
        session.add(tenant)
        session.flush()
        audit.record(
            session,
            None,
            "tenant.created",
            tenant_id=tenant.id,
            target_type="tenant",
            target_id=tenant.id,
            details={"slug": slug, "seed": True},
        )
    return tenant


def _user(
    session: Session, tenant: Tenant, email: str, name: str, role: Role, **extra: object
) -> User:
    user = session.exec(
        select(User).where(User.tenant_id == tenant.id, User.email == email)
    ).first()
    if user is None:
        assert tenant.id is not None
        fields: dict[str, Any] = {"locale": tenant.default_language, **extra}
        user = User(
            tenant_id=tenant.id,
            email=email,
            display_name=name,
            role=role.value,
            status=UserStatus.ACTIVE.value,
            password_hash=passwords.hash_password(DEMO_PASSWORD),
            **fields,
        )  # type: ignore[arg-type]
        session.add(user)
        session.flush()
        ctx = TenantContext.system(tenant.id, tenant.slug)
        audit.record(
            session,
            ctx,
            "user.seeded",
            target_type="user",
            target_id=user.id,
            details={"email": email, "role": role.value},
        )
    return user


def seed(session: Session) -> bool:
    """Create the demo tenants and accounts if missing (safe to run on every start).

    Returns:
        Whether demo data is there: False when ``CONSILIO_DEMO_DATA`` is off (nothing seeded).

    Raises:
        DemoDataRefused: outside dev mode, since every demo account has a published password.
    """
    settings = get_settings()
    if not settings.demo_data:
        return False
    if not settings.dev_mode:
        raise DemoDataRefused(
            "Demo data is seeded only in dev mode (CONSILIO_ENVIRONMENT=dev): its accounts "
            "share a published password. Set CONSILIO_DEMO_DATA=false outside dev mode."
        )
    platform = _tenant(
        session,
        "platform",
        name="Consilio Platform",
        default_language="en",
        primary_color="#2b2d42",
        accent_color="#ef233c",
        admins_need_2fa=False,  # demo logins work without an authenticator app
    )
    _user(
        session, platform, "super@consilio.example", "Sam Operator", Role.SUPER_ADMIN, locale="en"
    )
    demo = _tenant(
        session,
        "demo",
        name="Alpina Versicherung",
        default_language="de",
        primary_color="#0b6e4f",
        accent_color="#f2a541",
        modules=["meetings"],
        privacy_url="https://alpina.example/datenschutz",
        imprint_url="https://alpina.example/impressum",
        admins_need_2fa=False,  # demo logins work without an authenticator app
    )
    team = session.exec(
        select(Team).where(Team.tenant_id == demo.id, Team.name == "Privatkunden Zürich")
    ).first()
    if team is None:
        assert demo.id is not None
        team = Team(
            tenant_id=demo.id,
            name="Privatkunden Zürich",
            topics=["Vorsorge", "Hausrat"],
            locations=["Zürich", "Online"],
        )
        session.add(team)
        session.flush()
    _user(session, demo, "admin@alpina.example", "Petra Admin", Role.ADMIN)
    _user(
        session,
        demo,
        "anna.berger@alpina.example",
        "Anna Berger",
        Role.ADVISOR,
        team_id=team.id,
        is_team_lead=True,
    )
    _user(session, demo, "max.muster@example.com", "Max Muster", Role.CUSTOMER)
    return True
