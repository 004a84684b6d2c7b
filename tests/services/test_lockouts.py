"""Strangers cannot lock a real owner out: not by failing sign-ins on other accounts from an
address the owner shares (an office or carrier NAT), not by spending the account's
forgotten-password budget."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, OutboundMail
from app.services import auth, rate_limits, users
from app.services.errors import DomainError
from app.services.rate_limits import TooManyAttempts
from tests.factories import PASSWORD, TenantWorld

OFFICE, STRANGER, OWNER = "198.51.100.7", "203.0.113.66", "192.0.2.10"
OWNER_EMAIL = "advisor@alpha.example"

Configure = Callable[..., None]


def _fail(db: Session, world: TenantWorld, email: str, client: str, password: str = "wrong") -> str:
    with pytest.raises(DomainError) as exc:
        auth.login(db, world.tenant, email, password, client=client)
    return exc.value.key


def _mails_to(db: Session, address: str) -> int:
    return len(db.exec(select(OutboundMail).where(OutboundMail.to_address == address)).all())


def test_failures_on_other_accounts_behind_a_shared_address_do_not_lock_out_its_known_owner(
    db: Session, alpha: TenantWorld
) -> None:
    auth.login(db, alpha.tenant, OWNER_EMAIL, PASSWORD, client=OFFICE)  # the owner's office
    db.commit()
    spray = rate_limits.LOGIN_FAILURES_PER_ADDRESS.tiers()[0].amount
    for n in range(spray):  # colleagues and strangers behind the same NAT mistype theirs
        assert _fail(db, alpha, f"person{n}@alpha.example", OFFICE) == "error.login_failed"
    assert auth.login(db, alpha.tenant, OWNER_EMAIL, PASSWORD, client=OFFICE).handover
    # An account never signed in from there still waits: spraying stays throttled.
    assert _fail(db, alpha, "customer@alpha.example", OFFICE, PASSWORD).startswith(
        "error.too_many_attempts"
    )


def test_a_stranger_cannot_spend_the_owners_password_reset_budget(
    db: Session, alpha: TenantWorld
) -> None:
    sent_to_stranger = 0
    with pytest.raises(TooManyAttempts):  # the stranger's own address is stopped soon
        for _ in range(10):
            users.request_password_reset(db, alpha.tenant, OWNER_EMAIL, client=STRANGER)
            db.commit()
            sent_to_stranger += 1
    assert sent_to_stranger < rate_limits.PASSWORD_RESETS_PER_ACCOUNT.tiers()[0].amount
    users.request_password_reset(db, alpha.tenant, OWNER_EMAIL, client=OWNER)
    db.commit()
    assert _mails_to(db, OWNER_EMAIL) == sent_to_stranger + 1


def test_the_account_wide_reset_cap_sends_no_more_mails_and_says_nothing_different(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    configure(limit_password_reset_account="4/hour")
    for email in (OWNER_EMAIL, "nobody@alpha.example"):  # existing or not, the same answer
        for n in range(7):
            users.request_password_reset(db, alpha.tenant, email, client=f"192.0.2.{n + 100}")
            db.commit()
    assert _mails_to(db, OWNER_EMAIL) == 4
    held = db.exec(select(AuditEvent).where(AuditEvent.action == "auth.reset_not_sent")).all()
    assert len(held) == 3


def test_the_owners_known_address_still_gets_a_reset_mail_past_the_account_wide_cap(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    configure(limit_password_reset_account="2/hour")
    auth.login(db, alpha.tenant, OWNER_EMAIL, PASSWORD, client=OWNER)
    for n in range(3):
        users.request_password_reset(db, alpha.tenant, OWNER_EMAIL, client=f"192.0.2.{n + 100}")
    users.request_password_reset(db, alpha.tenant, OWNER_EMAIL, client=OWNER)
    db.commit()
    assert _mails_to(db, OWNER_EMAIL) == 3


def test_a_refused_reset_request_takes_nothing_from_the_addresses_budget(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    configure(limit_password_reset="4/hour", limit_password_reset_account_address="2/hour")
    for _ in range(2):
        users.request_password_reset(db, alpha.tenant, OWNER_EMAIL, client=STRANGER)
    with pytest.raises(TooManyAttempts):
        users.request_password_reset(db, alpha.tenant, OWNER_EMAIL, client=STRANGER)
    for other in ("customer@alpha.example", "admin@alpha.example"):  # 3 and 4 of 4
        users.request_password_reset(db, alpha.tenant, other, client=STRANGER)
    with pytest.raises(TooManyAttempts):
        users.request_password_reset(db, alpha.tenant, "ghost@alpha.example", client=STRANGER)
