"""Sign-in sessions: creation on login, validation on every request, expiry and revocation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets

from sqlmodel import Session, col, select, update

from app.models import Role, Tenant, User, UserSession, UserStatus
from app.models.base import utcnow
from app.services.errors import NotSignedIn
from app.services.secrets import token_hash
from app.settings import get_settings

# Writing last_seen on every event would turn each click into a DB write; a minute is fine
# against an idle limit counted in tens of minutes.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


@dataclasses.dataclass(frozen=True)
class SignedIn:
    """A validated session: who is signed in, in which tenant."""

    session_id: int
    user_id: int
    tenant_id: int
    tenant_slug: str
    role: Role
    display_name: str
    email: str
    locale: str
    timezone: str
    second_factor_passed: bool


def open_session(
    session: Session, user: User, *, second_factor_passed: bool, user_agent: str = ""
) -> str:
    """Start a new session for ``user`` and return its token (shown to the browser only)."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            token_hash=token_hash(token),
            tenant_id=user.tenant_id,
            user_id=user.id,
            second_factor_passed=second_factor_passed,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=get_settings().session_absolute_hours),
            user_agent=user_agent[:300],
        )
    )
    session.flush()
    return token


def _find(session: Session, token: str) -> UserSession | None:
    if not token or len(token) > 200:
        return None
    return session.exec(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).first()


def validate(session: Session, token: str, *, require_second_factor: bool = True) -> SignedIn:
    """Check a session token on a request and refresh its idle timer.

    Raises:
        NotSignedIn: unknown, revoked, idle too long, past its absolute lifetime, the user is
            no longer active, the tenant is suspended, or the second factor is pending.
    """
    row = _find(session, token)
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise NotSignedIn()
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    if now - row.last_seen_at > idle:
        row.revoked_at = now
        session.add(row)
        raise NotSignedIn("error.session_expired")
    user = session.get(User, row.user_id)
    tenant = session.get(Tenant, row.tenant_id)
    if user is None or user.status != UserStatus.ACTIVE or tenant is None or not tenant.active:
        row.revoked_at = now
        session.add(row)
        raise NotSignedIn()
    if require_second_factor and not row.second_factor_passed:
        raise NotSignedIn()
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
        session.add(row)
    assert row.id is not None and user.id is not None
    return SignedIn(
        session_id=row.id,
        user_id=user.id,
        tenant_id=tenant.id or 0,
        tenant_slug=tenant.slug,
        role=Role(user.role),
        display_name=user.display_name,
        email=user.email,
        locale=user.locale,
        timezone=user.timezone,
        second_factor_passed=row.second_factor_passed,
    )


def mark_second_factor_passed(session: Session, token: str) -> UserSession:
    """Upgrade a half-signed-in session after a correct TOTP or recovery code."""
    row = _find(session, token)
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise NotSignedIn()
    row.second_factor_passed = True
    row.last_seen_at = utcnow()
    session.add(row)
    return row


def pending_user(session: Session, token: str) -> User:
    """The user of a session still waiting for its second factor."""
    row = _find(session, token)
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise NotSignedIn()
    if now - row.created_at > dt.timedelta(minutes=10):
        raise NotSignedIn("error.session_expired")
    user = session.get(User, row.user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        raise NotSignedIn()
    return user


def revoke(session: Session, token: str) -> int | None:
    """End the session of ``token`` (logout). Returns the user id it belonged to."""
    row = _find(session, token)
    if row is None or row.revoked_at is not None:
        return None
    row.revoked_at = utcnow()
    session.add(row)
    return row.user_id


def revoke_all_for_user(session: Session, user_id: int, *, except_token: str = "") -> None:
    """End every open session of a user (deactivation, password change, 2FA change)."""
    query = (
        update(UserSession)
        .where(col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    if except_token:
        query = query.where(col(UserSession.token_hash) != token_hash(except_token))
    session.exec(query)  # type: ignore[call-overload]
