"""Signing in and out: passwords, lockout, the second factor.

Messages never reveal whether an account exists: a wrong email and a wrong password fail
alike, unknown accounts take the same time (dummy hash), and lockout counts per address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, select

from app.models import LoginThrottle, Role, Tenant, User, UserStatus
from app.models.base import utcnow
from app.services import audit, passwords, sessions, totp
from app.services.context import TenantContext
from app.services.errors import AuthenticationFailed, NotSignedIn
from app.settings import get_settings


@dataclasses.dataclass(frozen=True)
class LoginResult:
    """A new session (its token stays on the server until the browser collects it as a
    cookie); ``needs_second_factor`` until a TOTP code is given."""

    token: str
    needs_second_factor: bool
    user_id: int
    role: Role
    display_name: str
    locale: str

    @classmethod
    def of(cls, token: str, user: User, *, needs_second_factor: bool) -> LoginResult:
        """What the sign-in form needs to go on: who signed in, in which language."""
        assert user.id is not None
        return cls(
            token=token,
            needs_second_factor=needs_second_factor,
            user_id=user.id,
            role=Role(user.role),
            display_name=user.display_name,
            locale=user.locale,
        )


def normalize_email(email: str) -> str:
    """Lower-case and trim an email address for lookups."""
    return email.strip().lower()


def _throttle(session: Session, tenant_id: int, email: str) -> LoginThrottle:
    row = session.exec(
        select(LoginThrottle).where(
            LoginThrottle.tenant_id == tenant_id, LoginThrottle.email == email
        )
    ).first()
    if row is None:
        row = LoginThrottle(tenant_id=tenant_id, email=email[:254])
        session.add(row)
        session.flush()
    return row


def _minutes_left(until: dt.datetime) -> int:
    return max(1, int((until - utcnow()).total_seconds() // 60) + 1)


def login(
    session: Session, tenant: Tenant, email: str, password: str, *, user_agent: str = ""
) -> LoginResult:
    """Check credentials and open a session.

    Raises:
        AuthenticationFailed: wrong credentials (``error.login_failed``) or too many failures
            (``error.login_locked`` with ``minutes``). Failed attempts are counted and audited
            in their own commit by the caller's unit of work, so the caller must commit even
            when this raises (see :func:`record_failure`).
    """
    assert tenant.id is not None
    address = normalize_email(email)
    throttle = _throttle(session, tenant.id, address)
    now = utcnow()
    if throttle.locked_until is not None and throttle.locked_until > now:
        raise AuthenticationFailed(
            "error.login_locked", minutes=_minutes_left(throttle.locked_until)
        )
    user = session.exec(
        select(User).where(User.tenant_id == tenant.id, User.email == address)
    ).first()
    ok, needs_rehash = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or user.status != UserStatus.ACTIVE:
        raise record_failure(session, tenant, throttle, user)
    throttle.failures = 0
    throttle.locked_until = None
    session.add(throttle)
    if needs_rehash:
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now
    session.add(user)
    token = sessions.open_session(
        session, user, second_factor_passed=not user.totp_enabled, user_agent=user_agent
    )
    assert user.id is not None
    ctx = TenantContext(tenant.id, tenant.slug, user.id, None, user.email)
    audit.record(
        session,
        ctx,
        "auth.login" if not user.totp_enabled else "auth.password_ok",
        target_type="user",
        target_id=user.id,
    )
    return LoginResult.of(token, user, needs_second_factor=user.totp_enabled)


def record_failure(
    session: Session, tenant: Tenant, throttle: LoginThrottle, user: User | None
) -> AuthenticationFailed:
    """Count a failed attempt, lock after too many, audit it; return the error to raise."""
    settings = get_settings()
    now = utcnow()
    throttle.failures += 1
    throttle.last_failure_at = now
    locked = throttle.failures >= settings.login_max_failures
    if locked:
        throttle.locked_until = now + dt.timedelta(minutes=settings.login_lockout_minutes)
        throttle.failures = 0
    session.add(throttle)
    audit.record(
        session,
        None,
        "auth.login_failed",
        tenant_id=tenant.id,
        target_type="user",
        target_id=user.id if user else "",
        details={"email": throttle.email, "locked": locked},
    )
    # Commit the count now: the caller's unit of work rolls back on the exception.
    session.commit()
    if locked:
        return AuthenticationFailed("error.login_locked", minutes=settings.login_lockout_minutes)
    return AuthenticationFailed("error.login_failed")


def complete_second_factor(session: Session, tenant: Tenant, token: str, code: str) -> LoginResult:
    """Finish a login with a TOTP code or a recovery code.

    Raises:
        NotSignedIn: the half-open session is unknown or too old.
        AuthenticationFailed: wrong code (counted towards the lockout like a wrong password).
    """
    user = sessions.pending_user(session, token)
    if user.tenant_id != tenant.id:
        raise NotSignedIn()
    throttle = _throttle(session, tenant.id or 0, user.email)
    if throttle.locked_until is not None and throttle.locked_until > utcnow():
        raise AuthenticationFailed(
            "error.login_locked", minutes=_minutes_left(throttle.locked_until)
        )
    if not totp.check_code(session, user, code):
        failure = record_failure(session, tenant, throttle, user)
        if failure.key == "error.login_failed":
            failure = AuthenticationFailed("error.code_invalid")
        raise failure
    throttle.failures = 0
    session.add(throttle)
    sessions.mark_second_factor_passed(session, token)
    assert user.id is not None
    ctx = TenantContext(tenant.id or 0, tenant.slug, user.id, None, user.email)
    audit.record(
        session,
        ctx,
        "auth.login",
        target_type="user",
        target_id=user.id,
        details={"second_factor": True},
    )
    return LoginResult.of(token, user, needs_second_factor=False)


def logout(session: Session, token: str) -> None:
    """End the browser's session for real (the token stops working everywhere)."""
    user_id = sessions.revoke(session, token)
    if user_id is not None:
        user = session.get(User, user_id)
        if user is not None:
            ctx = TenantContext(user.tenant_id, "", user_id, None, user.email)
            audit.record(session, ctx, "auth.logout", target_type="user", target_id=user_id)
