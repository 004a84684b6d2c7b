"""Sign-in sessions: creation on login, validation on every request, expiry and revocation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from http.cookies import CookieError, SimpleCookie

from sqlmodel import Session, col, select, update

from app.models import Role, Tenant, User, UserSession, UserStatus
from app.models.base import utcnow
from app.services.errors import NotSignedIn
from app.services.keys import Purpose
from app.services.secrets import seal, token_hash, unseal
from app.settings import get_settings

# Writing last_seen on every event would turn each click into a DB write; a minute is fine
# against an idle limit counted in tens of minutes.
TOUCH_INTERVAL = dt.timedelta(seconds=60)

COOKIE_NAME = "consilio_session"
ADMIN_ROLES = frozenset({Role.ADMIN, Role.SUPER_ADMIN})
# How long the browser has to collect its cookie after signing in (one redirect).
HANDOVER_SECONDS = 60


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
    must_enrol_second_factor: bool = False  # an admin whose tenant demands 2FA, without it

    @property
    def may_act_in_role(self) -> bool:
        """False while an admin must first enrol a second factor (only their own account
        page is open to them until then)."""
        return not self.must_enrol_second_factor


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
        must_enrol_second_factor=must_enrol_second_factor(user, tenant),
    )


def must_enrol_second_factor(user: User, tenant: Tenant) -> bool:
    """An admin of a tenant that demands two-factor authentication who has not set it up."""
    return Role(user.role) in ADMIN_ROLES and tenant.admins_need_2fa and not user.totp_enabled


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


def token_from_cookie_header(header: str) -> str:
    """The session token in a request's ``Cookie`` header ("" when there is none).

    The cookie is HttpOnly: page scripts never see it; the server reads it from the event
    socket's handshake and from plain HTTP requests.
    """
    if not header:
        return ""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return ""
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel is not None else ""


def hand_over(token: str) -> str:
    """An opaque code with which the browser collects its new session as an HttpOnly cookie.

    Sign-in happens over the event socket, which cannot set cookies; the browser then opens
    ``/api/session/start?code=…`` (see :func:`redeem_handover`). The code is encrypted,
    expires after :data:`HANDOVER_SECONDS` and works once.
    """
    return seal(Purpose.SESSION_HANDOVER, token)


def redeem_handover(session: Session, code: str) -> str:
    """Turn a hand-over code into the session cookie's value, once.

    The session's token is replaced by a fresh one here, so the code (and the token inside
    it, which went through the event socket) is worthless afterwards, even to someone who
    saw it; two browsers racing with one code get one session between them.

    Raises:
        NotSignedIn: unknown, expired or used code, or a session that is not fully signed in.
    """
    if not code or len(code) > 500:
        raise NotSignedIn()
    try:
        token = unseal(Purpose.SESSION_HANDOVER, code, max_age=HANDOVER_SECONDS)
    except (ValueError, UnicodeDecodeError):
        raise NotSignedIn() from None
    row = _find(session, token)
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise NotSignedIn()
    if not row.second_factor_passed:
        raise NotSignedIn()
    fresh = secrets.token_urlsafe(32)
    swapped = session.exec(
        update(UserSession)  # type: ignore[call-overload]
        .where(
            col(UserSession.id) == row.id,
            col(UserSession.token_hash) == token_hash(token),
            col(UserSession.revoked_at).is_(None),
        )
        .values(token_hash=token_hash(fresh), last_seen_at=utcnow())
    )
    if swapped.rowcount != 1:
        raise NotSignedIn()
    return fresh
