"""Accounts only the e2e tests use, so tests that change them leave the demo accounts alone."""

from __future__ import annotations

import secrets

from sqlmodel import select

from app.models import DomainStatus, Role, Tenant, TenantDomain, User, UserStatus
from app.models.base import utcnow
from app.services import passwords
from app.services.db import unit_of_work
from app.services.demo import DEMO_PASSWORD

# A second tenant on a domain of its own, as a super admin would have approved it (e2e maps
# the name to loopback in Chromium, e2e/conftest.py).
CUSTOM_DOMAIN = "bank-am-see.example"
BANK_ADVISOR = "berater@bank-am-see.example"

EXTRA = (
    ("tfa.advisor@alpina.example", "Tom Faktor", Role.ADVISOR),
    ("leaving.advisor@alpina.example", "Lea Ving", Role.ADVISOR),
)


def main() -> None:
    """Create the extra accounts in the demo tenant."""
    with unit_of_work() as session:
        tenant = session.exec(select(Tenant).where(Tenant.slug == "demo")).one()
        for email, name, role in EXTRA:
            assert tenant.id is not None
            session.add(
                User(
                    tenant_id=tenant.id,
                    email=email,
                    display_name=name,
                    role=role.value,
                    status=UserStatus.ACTIVE.value,
                    locale="de",
                    password_hash=passwords.hash_password(DEMO_PASSWORD),
                )
            )
        bank = Tenant(slug="bank", name="Bank am See", admins_need_2fa=False)
        session.add(bank)
        session.flush()
        assert bank.id is not None
        session.add(
            TenantDomain(
                tenant_id=bank.id,
                host=CUSTOM_DOMAIN,
                status=DomainStatus.APPROVED.value,
                challenge=secrets.token_urlsafe(24),
                confirmed_at=utcnow(),
            )
        )
        session.add(
            User(
                tenant_id=bank.id,
                email=BANK_ADVISOR,
                display_name="Bea Berater",
                role=Role.ADVISOR.value,
                status=UserStatus.ACTIVE.value,
                locale="de",
                password_hash=passwords.hash_password(DEMO_PASSWORD),
            )
        )


if __name__ == "__main__":
    main()
