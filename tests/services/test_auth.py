"""Signing in: passwords, throttling that nobody can turn into a lockout of the owner,
no account enumeration, sessions, 2FA codes."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace

import pyotp
import pytest
from limits import parse_many
from sqlmodel import Session, select

from app.i18n import translate
from app.models import AuditEvent, User, UserSession, UserStatus
from app.models.base import utcnow
from app.services import auth, guard, sessions, totp, users
from app.services.errors import AccessDenied, AuthenticationFailed, DomainError, NotSignedIn
from app.services.rate_limits import TooManyAttempts
from app.settings import get_settings
from tests.factories import PASSWORD, TenantWorld

ATTACKER, OWNER, ELSEWHERE = "198.51.100.66", "203.0.113.10", "192.0.2.77"


def _login(
    db: Session, world: TenantWorld, email: str, password: str = PASSWORD, client: str = OWNER
) -> auth.LoginResult:
    result = auth.login(db, world.tenant, email, password, client=client)
    db.commit()
    return result


def _fail(db: Session, world: TenantWorld, email: str, client: str, password: str = "wrong") -> str:
    """One attempt that must fail; the message key it got."""
    with pytest.raises(DomainError) as exc:
        auth.login(db, world.tenant, email, password, client=client)
    return exc.value.key


def _first_tier(setting: str) -> int:
    """How many events the shortest window of a rate-limit setting allows."""
    return parse_many(getattr(get_settings(), setting))[0].amount


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The rate limits' clock (in-memory counts), moved on by the test: ``clock[0] += 60``."""
    now = [time.time()]
    fake = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr("limits.storage.memory.time", fake)
    monkeypatch.setattr("app.services.rate_limits.time", fake)
    return now


def test_correct_password_opens_a_session_that_the_guard_accepts(
    db: Session, alpha: TenantWorld
) -> None:
    cookie = _signed_in(db, alpha, "ADVISOR@alpha.example ")
    ctx = guard.authorize(db, cookie, tenant_id=alpha.tenant.id, roles=guard.STAFF)
    assert ctx.user_id == alpha.advisor.id
    assert ctx.tenant_id == alpha.tenant.id


def test_wrong_password_and_unknown_account_fail_with_the_same_message(
    db: Session, alpha: TenantWorld
) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.login(db, alpha.tenant, "advisor@alpha.example", "not the password")
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.login(db, alpha.tenant, "nobody@alpha.example", "not the password")
    assert wrong.value.key == unknown.value.key == "error.login_failed"
    assert db.exec(select(UserSession)).all() == []


def test_failures_make_that_address_wait_and_say_how_long_even_with_the_right_password(
    db: Session, alpha: TenantWorld
) -> None:
    burst = _first_tier("limit_login_account_address")
    keys = [_fail(db, alpha, "advisor@alpha.example", ATTACKER) for _ in range(burst + 1)]
    assert keys == ["error.login_failed"] * burst + ["error.too_many_attempts_seconds"]
    with pytest.raises(TooManyAttempts) as refused:
        auth.login(db, alpha.tenant, "advisor@alpha.example", PASSWORD, client=ATTACKER)
    assert 0 < refused.value.params["seconds"] <= 60
    assert translate("en", refused.value.key, **refused.value.params) == (
        f"Too many attempts. Please try again in {refused.value.params['seconds']} seconds."
    )


def test_unknown_accounts_are_throttled_the_same_way_so_throttling_reveals_nothing(
    db: Session, alpha: TenantWorld
) -> None:
    burst = _first_tier("limit_login_account_address")
    for email in ("advisor@alpha.example", "ghost@alpha.example"):
        keys = [_fail(db, alpha, email, ATTACKER) for _ in range(burst + 1)]
        assert keys == ["error.login_failed"] * burst + ["error.too_many_attempts_seconds"]


def test_an_attackers_wrong_passwords_from_one_address_do_not_stop_the_owner_from_another(
    db: Session, alpha: TenantWorld
) -> None:
    for _ in range(3 * _first_tier("limit_login_account_address")):
        _fail(db, alpha, "advisor@alpha.example", ATTACKER)
    result = auth.login(db, alpha.tenant, "advisor@alpha.example", PASSWORD, client=OWNER)
    assert result.handover


def test_the_wait_grows_with_each_tier_of_failures(
    db: Session, alpha: TenantWorld, clock: list[float]
) -> None:
    burst = _first_tier("limit_login_account_address")
    for _ in range(burst):
        _fail(db, alpha, "advisor@alpha.example", ATTACKER)
    with pytest.raises(TooManyAttempts) as first:
        auth.login(db, alpha.tenant, "advisor@alpha.example", "wrong", client=ATTACKER)
    clock[0] += first.value.wait_seconds + 1
    for _ in range(burst):  # the burst is allowed again, but counts towards the next tier
        assert _fail(db, alpha, "advisor@alpha.example", ATTACKER) == "error.login_failed"
    with pytest.raises(TooManyAttempts) as second:
        auth.login(db, alpha.tenant, "advisor@alpha.example", "wrong", client=ATTACKER)
    assert second.value.key == "error.too_many_attempts_minutes"
    assert second.value.wait_seconds > 10 * first.value.wait_seconds


def test_failures_spread_over_many_accounts_from_one_address_are_throttled(
    db: Session, alpha: TenantWorld
) -> None:
    spray = _first_tier("limit_login_address")
    for n in range(spray):
        assert _fail(db, alpha, f"person{n}@alpha.example", ATTACKER) == "error.login_failed"
    assert _fail(db, alpha, "advisor@alpha.example", ATTACKER).startswith("error.too_many_attempts")
    assert auth.login(db, alpha.tenant, "advisor@alpha.example", PASSWORD, client=OWNER).handover


def test_guessing_from_many_addresses_slows_new_addresses_but_not_the_owners_known_one(
    db: Session, alpha: TenantWorld
) -> None:
    _login(db, alpha, "advisor@alpha.example", client=OWNER)  # the owner's usual place
    for n in range(_first_tier("limit_login_account")):
        _fail(db, alpha, "advisor@alpha.example", f"198.51.100.{n + 1}")
    assert _fail(db, alpha, "advisor@alpha.example", ELSEWHERE, PASSWORD).startswith(
        "error.too_many_attempts"
    )
    assert _login(db, alpha, "advisor@alpha.example", client=OWNER).handover


def test_wrong_codes_stay_counted_when_the_password_is_given_again(
    db: Session, alpha: TenantWorld
) -> None:
    secret = _enable_2fa(db, alpha)
    for _ in range(_first_tier("limit_login_account_address")):
        pending = _login(db, alpha, "advisor@alpha.example", client=ATTACKER)
        with pytest.raises(AuthenticationFailed, match="code_invalid"):
            auth.complete_second_factor(
                db, alpha.tenant, pending.pending, "000000", client=ATTACKER
            )
    assert _fail(db, alpha, "advisor@alpha.example", ATTACKER, PASSWORD).startswith(
        "error.too_many_attempts"
    )
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    with pytest.raises(TooManyAttempts):  # even the right code waits
        auth.complete_second_factor(db, alpha.tenant, pending.pending, code, client=ATTACKER)


def test_failed_and_refused_attempts_are_audited_with_the_address(
    db: Session, alpha: TenantWorld
) -> None:
    burst = _first_tier("limit_login_account_address")
    for _ in range(burst + 1):
        _fail(db, alpha, "advisor@alpha.example", ATTACKER)
    events = db.exec(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed").order_by(AuditEvent.id)  # type: ignore[arg-type]
    ).all()
    assert len(events) == burst + 1
    assert {e.details["address"] for e in events} == {ATTACKER}
    assert {e.details["email"] for e in events} == {"advisor@alpha.example"}
    assert events[-1].details["throttled"] is True and "throttled" not in events[0].details


def test_each_login_gets_a_new_session_token(db: Session, alpha: TenantWorld) -> None:
    first = _signed_in(db, alpha)
    second = _signed_in(db, alpha)
    assert first != second
    stored = db.exec(select(UserSession.token_hash)).all()
    assert first not in stored and second not in stored


def test_logout_ends_the_session(db: Session, alpha: TenantWorld) -> None:
    cookie = _signed_in(db, alpha)
    auth.logout(db, cookie)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, cookie)


def test_idle_session_expires(db: Session, alpha: TenantWorld) -> None:
    cookie = _signed_in(db, alpha)
    row = db.exec(select(UserSession)).one()
    row.last_seen_at = utcnow() - dt.timedelta(minutes=get_settings().session_idle_minutes + 1)
    db.add(row)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, cookie)


def test_session_expires_after_absolute_lifetime_even_when_active(
    db: Session, alpha: TenantWorld
) -> None:
    cookie = _signed_in(db, alpha)
    row = db.exec(select(UserSession)).one()
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.add(row)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, cookie)


def test_deactivating_a_user_ends_their_sessions_at_once(db: Session, alpha: TenantWorld) -> None:
    cookie = _signed_in(db, alpha)
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, cookie)
    with pytest.raises(AuthenticationFailed):
        auth.login(db, alpha.tenant, "advisor@alpha.example", PASSWORD)


def test_guard_refuses_wrong_role_and_other_tenant(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    cookie = _signed_in(db, alpha, "customer@alpha.example")
    with pytest.raises(AccessDenied):
        guard.authorize(db, cookie, tenant_id=alpha.tenant.id, roles=guard.ADMINS)
    with pytest.raises(AccessDenied):
        guard.authorize(db, cookie, tenant_id=beta.tenant.id, roles=guard.ALL_ROLES)


def test_password_login_with_2fa_needs_the_code_before_the_guard_accepts(
    db: Session, alpha: TenantWorld
) -> None:
    secret = _enable_2fa(db, alpha)
    result = _login(db, alpha, "advisor@alpha.example")
    assert result.needs_second_factor
    with pytest.raises(NotSignedIn):
        guard.authorize(db, result.pending, tenant_id=alpha.tenant.id, roles=guard.STAFF)
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    done = auth.complete_second_factor(db, alpha.tenant, result.pending, code)
    cookie = sessions.redeem_handover(db, done.handover)
    db.commit()
    assert guard.authorize(db, cookie, tenant_id=alpha.tenant.id, roles=guard.STAFF)


def test_a_totp_code_works_only_once(db: Session, alpha: TenantWorld) -> None:
    secret = _enable_2fa(db, alpha)
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    first = _login(db, alpha, "advisor@alpha.example")
    auth.complete_second_factor(db, alpha.tenant, first.pending, code)
    db.commit()
    second = _login(db, alpha, "advisor@alpha.example")
    with pytest.raises(AuthenticationFailed) as exc:
        auth.complete_second_factor(db, alpha.tenant, second.pending, code)
    assert exc.value.key == "error.code_invalid"


def test_recovery_code_works_once(db: Session, alpha: TenantWorld) -> None:
    codes = _enable_2fa(db, alpha, return_codes=True)
    first = _login(db, alpha, "advisor@alpha.example")
    auth.complete_second_factor(db, alpha.tenant, first.pending, codes[0])
    db.commit()
    second = _login(db, alpha, "advisor@alpha.example")
    with pytest.raises(AuthenticationFailed):
        auth.complete_second_factor(db, alpha.tenant, second.pending, codes[0])


def test_changing_2fa_requires_the_password(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AuthenticationFailed) as exc:
        totp.begin_enrolment(db, alpha.advisor_ctx, password="wrong")
    assert exc.value.key == "error.reauth_failed"


def test_disabling_2fa_requires_password_and_current_code(db: Session, alpha: TenantWorld) -> None:
    secret = _enable_2fa(db, alpha)
    with pytest.raises(AuthenticationFailed):
        totp.disable(db, alpha.advisor_ctx, password=PASSWORD, code="000000")
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    totp.disable(db, alpha.advisor_ctx, password=PASSWORD, code=code)
    db.commit()
    assert db.get(User, alpha.advisor.id).totp_enabled is False


def test_failed_logins_are_audited(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AuthenticationFailed):
        auth.login(db, alpha.tenant, "advisor@alpha.example", "wrong")
    actions = db.exec(select(AuditEvent.action)).all()
    assert "auth.login_failed" in actions


def test_invited_user_cannot_sign_in_before_activation(db: Session, alpha: TenantWorld) -> None:
    user = db.get(User, alpha.customer.id)
    user.status = UserStatus.INVITED.value
    db.add(user)
    db.commit()
    with pytest.raises(AuthenticationFailed):
        auth.login(db, alpha.tenant, "customer@alpha.example", PASSWORD)


def test_what_was_typed_as_the_email_is_audited_only_when_it_looks_like_an_address(
    db: Session, alpha: TenantWorld
) -> None:
    long_address = "a" * 200 + "@alpha.example"
    for typed in ("correct horse battery staple", "advisor@alpha.example", long_address):
        with pytest.raises(AuthenticationFailed):
            auth.login(db, alpha.tenant, typed, "wrong", client=ATTACKER)
    events = db.exec(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed").order_by(AuditEvent.id)  # type: ignore[arg-type]
    ).all()
    stored = [e.details["email"] for e in events]
    assert stored[0] == "(not an address)"
    assert stored[1] == "advisor@alpha.example"
    assert stored[2].startswith("aaa") and len(stored[2]) <= 100
    assert all("horse" not in str(e.details) for e in events)


def test_a_completed_sign_in_hands_over_a_code_and_never_the_session_token(
    db: Session, alpha: TenantWorld
) -> None:
    result = _login(db, alpha, "advisor@alpha.example")
    assert not result.needs_second_factor and not result.pending
    assert not hasattr(result, "token")
    cookie = sessions.redeem_handover(db, result.handover)
    assert guard.signed_in_here(db, cookie, alpha.tenant.id or 0) is not None


def test_a_sign_in_waiting_for_its_code_hands_over_nothing_until_the_code(
    db: Session, alpha: TenantWorld
) -> None:
    secret = _enable_2fa(db, alpha)
    pending = _login(db, alpha, "advisor@alpha.example")
    assert pending.needs_second_factor and pending.pending and not pending.handover
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    done = auth.complete_second_factor(db, alpha.tenant, pending.pending, code)
    assert done.handover and not done.pending
    assert guard.signed_in_here(
        db, sessions.redeem_handover(db, done.handover), alpha.tenant.id or 0
    )


def test_turning_2fa_on_signs_out_the_other_browsers_but_not_this_one(
    db: Session, alpha: TenantWorld
) -> None:
    here, there = _signed_in(db, alpha), _signed_in(db, alpha)
    enrolment = totp.begin_enrolment(db, alpha.advisor_ctx, password=PASSWORD)
    code = pyotp.TOTP(enrolment.secret).now()
    totp.confirm_enrolment(
        db, alpha.advisor_ctx, secret=enrolment.secret, code=code, keep_token=here
    )
    db.commit()
    assert guard.signed_in_here(db, here, alpha.tenant.id or 0) is not None
    assert guard.signed_in_here(db, there, alpha.tenant.id or 0) is None


def test_the_account_page_learns_from_the_service_whether_2fa_must_be_set_up(
    db: Session,
) -> None:
    from tests.factories import make_world

    strict = make_world(db, "strict", admins_need_2fa=True)
    assert totp.enrolment_required(db, strict.admin_ctx)
    assert not totp.enrolment_required(db, strict.advisor_ctx)
    enrolment = totp.begin_enrolment(db, strict.admin_ctx, password=PASSWORD)
    code = pyotp.TOTP(enrolment.secret).now()
    totp.confirm_enrolment(db, strict.admin_ctx, secret=enrolment.secret, code=code, keep_token="")
    assert not totp.enrolment_required(db, strict.admin_ctx)


def _signed_in(db: Session, world: TenantWorld, email: str = "advisor@alpha.example") -> str:
    """A browser's session cookie, collected as the browser does after signing in."""
    cookie = sessions.redeem_handover(db, _login(db, world, email).handover)
    db.commit()
    return cookie


def _enable_2fa(db: Session, world: TenantWorld, *, return_codes: bool = False):
    enrolment = totp.begin_enrolment(db, world.advisor_ctx, password=PASSWORD)
    code = pyotp.TOTP(enrolment.secret).now()
    codes = totp.confirm_enrolment(
        db, world.advisor_ctx, secret=enrolment.secret, code=code, keep_token=""
    )
    db.commit()
    return codes if return_codes else enrolment.secret
