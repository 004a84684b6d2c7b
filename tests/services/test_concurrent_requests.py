"""Requests racing each other on PostgreSQL, as on two backend workers: single-use links,
one-time codes, failed sign-ins and their limits stay correct when they arrive at the same moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyotp
import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, TokenPurpose, User, UserStatus
from app.models.base import utcnow
from app.services import auth, passwords, rate_limits, sessions, tokens, totp, users
from app.services.errors import AuthenticationFailed, InvalidInput
from app.services.rate_limits import TooManyAttempts
from tests.concurrency import at_once, meet_at
from tests.factories import PASSWORD, TenantWorld


def _token(db: Session, world: TenantWorld, user: User, purpose: TokenPurpose) -> str:
    assert world.tenant.id is not None and user.id is not None
    raw = tokens.issue(
        db,
        tenant_id=world.tenant.id,
        user_id=user.id,
        purpose=purpose,
        lifetime=dt.timedelta(minutes=30),
    )
    db.commit()
    return raw


def _split(outcomes: list[object]) -> tuple[list[object], list[Exception]]:
    failed = [o for o in outcomes if isinstance(o, Exception)]
    return [o for o in outcomes if not isinstance(o, Exception)], failed


def test_two_requests_with_one_reset_link_set_the_password_once(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _token(db, alpha, alpha.advisor, TokenPurpose.PASSWORD_RESET)
    meet_at(monkeypatch, passwords, "check_policy", 2)  # both have checked the link
    outcomes = at_once(
        lambda s: users.reset_password(s, alpha.tenant, raw, "first new password!"),
        lambda s: users.reset_password(s, alpha.tenant, raw, "second new password!"),
    )
    done, failed = _split(outcomes)
    assert len(done) == 1
    assert [(type(e), e.key) for e in failed] == [(InvalidInput, "error.link_invalid")]  # type: ignore[attr-defined]
    db.expire_all()
    stored = db.get(User, alpha.advisor.id)
    assert stored is not None
    winner = "first new password!" if outcomes[0] in done else "second new password!"
    assert passwords.verify_password(stored.password_hash, winner)[0]


def test_two_requests_with_one_invitation_link_activate_once(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    invited = db.get(User, alpha.customer.id)
    assert invited is not None
    invited.status = UserStatus.INVITED.value
    db.add(invited)
    db.commit()
    raw = _token(db, alpha, invited, TokenPurpose.INVITATION)
    meet_at(monkeypatch, passwords, "check_policy", 2)
    outcomes = at_once(
        lambda s: users.activate_account(s, alpha.tenant, raw, "first new password!"),
        lambda s: users.activate_account(s, alpha.tenant, raw, "second new password!"),
    )
    done, failed = _split(outcomes)
    assert len(done) == 1 and len(failed) == 1
    assert isinstance(failed[0], InvalidInput) and failed[0].key == "error.link_invalid"


def test_first_failures_of_a_new_account_at_once_all_say_wrong_password(
    db: Session, alpha: TenantWorld
) -> None:
    def attempt(session: Session) -> None:
        auth.login(session, alpha.tenant, "new.person@alpha.example", "wrong", client="192.0.2.1")

    outcomes = at_once(*[attempt] * 4)
    assert [getattr(o, "key", o) for o in outcomes] == ["error.login_failed"] * 4
    assert all(isinstance(o, AuthenticationFailed) for o in outcomes)
    failures = db.exec(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert len(failures) == 4


def test_a_totp_code_sent_by_two_browsers_at_once_works_once(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrolment = totp.begin_enrolment(db, alpha.advisor_ctx, password=PASSWORD)
    totp.confirm_enrolment(
        db,
        alpha.advisor_ctx,
        secret=enrolment.secret,
        code=pyotp.TOTP(enrolment.secret).now(),
        keep_token="",
    )
    db.commit()
    code = pyotp.TOTP(enrolment.secret).at(utcnow() + dt.timedelta(seconds=30))
    first = auth.login(db, alpha.tenant, alpha.advisor.email, PASSWORD, client="192.0.2.1")
    second = auth.login(db, alpha.tenant, alpha.advisor.email, PASSWORD, client="192.0.2.2")
    db.commit()
    meet_at(monkeypatch, sessions, "pending_user", 2)  # both have read the user's last step
    outcomes = at_once(
        lambda s: auth.complete_second_factor(s, alpha.tenant, first.pending, code),
        lambda s: auth.complete_second_factor(s, alpha.tenant, second.pending, code),
    )
    done, failed = _split(outcomes)
    assert len(done) == 1
    assert len(failed) == 1 and getattr(failed[0], "key", failed[0]) == "error.code_invalid"


def test_a_recovery_code_sent_by_two_browsers_at_once_works_once(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrolment = totp.begin_enrolment(db, alpha.advisor_ctx, password=PASSWORD)
    codes = totp.confirm_enrolment(
        db,
        alpha.advisor_ctx,
        secret=enrolment.secret,
        code=pyotp.TOTP(enrolment.secret).now(),
        keep_token="",
    )
    db.commit()
    first = auth.login(db, alpha.tenant, alpha.advisor.email, PASSWORD, client="192.0.2.1")
    second = auth.login(db, alpha.tenant, alpha.advisor.email, PASSWORD, client="192.0.2.2")
    db.commit()
    meet_at(monkeypatch, sessions, "pending_user", 2)
    outcomes = at_once(
        lambda s: auth.complete_second_factor(s, alpha.tenant, first.pending, codes[0]),
        lambda s: auth.complete_second_factor(s, alpha.tenant, second.pending, codes[0]),
    )
    done, failed = _split(outcomes)
    assert len(done) == 1 and len(failed) == 1


def test_guesses_at_the_same_moment_get_no_more_password_checks_than_the_limit_allows(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    burst = rate_limits.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.tiers()[0].amount
    checked: list[str] = []
    verify = passwords.verify_password

    def counted(stored_hash: str | None, password: str) -> tuple[bool, bool]:
        checked.append(password)
        return verify(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counted)
    meet_at(monkeypatch, passwords, "verify_password", burst + 1)  # all admitted, then checked

    def guess(n: int) -> Callable[[Session], object]:
        return lambda s: auth.login(
            s, alpha.tenant, alpha.advisor.email, f"guess {n}", client="198.51.100.66"
        )

    outcomes = at_once(*[guess(n) for n in range(burst + 3)])
    assert len(checked) <= burst
    refused = [o for o in outcomes if isinstance(o, TooManyAttempts)]
    assert len(refused) == 3
    assert sum(isinstance(o, AuthenticationFailed) for o in outcomes) == burst


def test_re_entered_passwords_at_the_same_moment_get_no_more_checks_than_the_limit_allows(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    burst = rate_limits.REAUTH_FAILURES.tiers()[0].amount
    checked: list[str] = []
    verify = passwords.verify_password

    def counted(stored_hash: str | None, password: str) -> tuple[bool, bool]:
        checked.append(password)
        return verify(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counted)
    meet_at(monkeypatch, passwords, "verify_password", burst + 1)

    def guess(n: int) -> Callable[[Session], object]:
        return lambda s: totp.begin_enrolment(s, alpha.advisor_ctx, password=f"guess {n}")

    outcomes = at_once(*[guess(n) for n in range(burst + 3)])
    assert len(checked) <= burst
    assert sum(isinstance(o, TooManyAttempts) for o in outcomes) == 3
