"""Accounts only the e2e tests use, so tests that change them leave the demo accounts alone."""

from __future__ import annotations

from sqlmodel import select

from app.models import Role, Tenant, User, UserStatus
from app.services import passwords
from app.services.db import unit_of_work
from app.services.demo import DEMO_PASSWORD

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


if __name__ == "__main__":
    main()
