"""Signing in: passwords, lockout without account enumeration, sessions, 2FA codes."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, User, UserSession, UserStatus
from app.models.base import utcnow
from app.services import auth, guard, sessions, totp, users
from app.services.errors import AccessDenied, AuthenticationFailed, NotSignedIn
from app.settings import get_settings
from tests.factories import PASSWORD, TenantWorld


def _login(
    db: Session, world: TenantWorld, email: str, password: str = PASSWORD
) -> auth.LoginResult:
    result = auth.login(db, world.tenant, email, password)
    db.commit()
    return result


def test_correct_password_opens_a_session_that_the_guard_accepts(
    db: Session, alpha: TenantWorld
) -> None:
    result = _login(db, alpha, "ADVISOR@alpha.example ")
    ctx = guard.authorize(db, result.token, tenant_id=alpha.tenant.id, roles=guard.STAFF)
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


def test_too_many_failures_lock_the_account_even_with_the_right_password(
    db: Session, alpha: TenantWorld
) -> None:
    for _ in range(get_settings().login_max_failures - 1):
        with pytest.raises(AuthenticationFailed, match="login_failed"):
            auth.login(db, alpha.tenant, "advisor@alpha.example", "wrong")
    with pytest.raises(AuthenticationFailed) as locked:
        auth.login(db, alpha.tenant, "advisor@alpha.example", "wrong")
    assert locked.value.key == "error.login_locked"
    with pytest.raises(AuthenticationFailed) as still_locked:
        auth.login(db, alpha.tenant, "advisor@alpha.example", PASSWORD)
    assert still_locked.value.key == "error.login_locked"


def test_unknown_accounts_lock_the_same_way_so_lockout_reveals_nothing(
    db: Session, alpha: TenantWorld
) -> None:
    keys = []
    for _ in range(get_settings().login_max_failures):
        with pytest.raises(AuthenticationFailed) as exc:
            auth.login(db, alpha.tenant, "ghost@alpha.example", "wrong")
        keys.append(exc.value.key)
    assert keys[-1] == "error.login_locked"


def test_each_login_gets_a_new_session_token(db: Session, alpha: TenantWorld) -> None:
    first = _login(db, alpha, "advisor@alpha.example")
    second = _login(db, alpha, "advisor@alpha.example")
    assert first.token != second.token
    stored = db.exec(select(UserSession.token_hash)).all()
    assert first.token not in stored and second.token not in stored


def test_logout_ends_the_session(db: Session, alpha: TenantWorld) -> None:
    result = _login(db, alpha, "advisor@alpha.example")
    auth.logout(db, result.token)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, result.token)


def test_idle_session_expires(db: Session, alpha: TenantWorld) -> None:
    result = _login(db, alpha, "advisor@alpha.example")
    row = db.exec(select(UserSession)).one()
    row.last_seen_at = utcnow() - dt.timedelta(minutes=get_settings().session_idle_minutes + 1)
    db.add(row)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, result.token)


def test_session_expires_after_absolute_lifetime_even_when_active(
    db: Session, alpha: TenantWorld
) -> None:
    result = _login(db, alpha, "advisor@alpha.example")
    row = db.exec(select(UserSession)).one()
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.add(row)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, result.token)


def test_deactivating_a_user_ends_their_sessions_at_once(db: Session, alpha: TenantWorld) -> None:
    result = _login(db, alpha, "advisor@alpha.example")
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id)
    db.commit()
    with pytest.raises(NotSignedIn):
        sessions.validate(db, result.token)
    with pytest.raises(AuthenticationFailed):
        auth.login(db, alpha.tenant, "advisor@alpha.example", PASSWORD)


def test_guard_refuses_wrong_role_and_other_tenant(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    result = _login(db, alpha, "customer@alpha.example")
    with pytest.raises(AccessDenied):
        guard.authorize(db, result.token, tenant_id=alpha.tenant.id, roles=guard.ADMINS)
    with pytest.raises(AccessDenied):
        guard.authorize(db, result.token, tenant_id=beta.tenant.id, roles=guard.ALL_ROLES)


def test_password_login_with_2fa_needs_the_code_before_the_guard_accepts(
    db: Session, alpha: TenantWorld
) -> None:
    secret = _enable_2fa(db, alpha)
    result = _login(db, alpha, "advisor@alpha.example")
    assert result.needs_second_factor
    with pytest.raises(NotSignedIn):
        guard.authorize(db, result.token, tenant_id=alpha.tenant.id, roles=guard.STAFF)
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    auth.complete_second_factor(db, alpha.tenant, result.token, code)
    db.commit()
    assert guard.authorize(db, result.token, tenant_id=alpha.tenant.id, roles=guard.STAFF)


def test_a_totp_code_works_only_once(db: Session, alpha: TenantWorld) -> None:
    secret = _enable_2fa(db, alpha)
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    first = _login(db, alpha, "advisor@alpha.example")
    auth.complete_second_factor(db, alpha.tenant, first.token, code)
    db.commit()
    second = _login(db, alpha, "advisor@alpha.example")
    with pytest.raises(AuthenticationFailed) as exc:
        auth.complete_second_factor(db, alpha.tenant, second.token, code)
    assert exc.value.key == "error.code_invalid"


def test_recovery_code_works_once(db: Session, alpha: TenantWorld) -> None:
    codes = _enable_2fa(db, alpha, return_codes=True)
    first = _login(db, alpha, "advisor@alpha.example")
    auth.complete_second_factor(db, alpha.tenant, first.token, codes[0])
    db.commit()
    second = _login(db, alpha, "advisor@alpha.example")
    with pytest.raises(AuthenticationFailed):
        auth.complete_second_factor(db, alpha.tenant, second.token, codes[0])


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


def _enable_2fa(db: Session, world: TenantWorld, *, return_codes: bool = False):
    enrolment = totp.begin_enrolment(db, world.advisor_ctx, password=PASSWORD)
    code = pyotp.TOTP(enrolment.secret).now()
    codes = totp.confirm_enrolment(db, world.advisor_ctx, secret=enrolment.secret, code=code)
    db.commit()
    return codes if return_codes else enrolment.secret
