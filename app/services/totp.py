"""TOTP second factor: enrolment with a QR code, codes that work once, recovery codes."""

from __future__ import annotations

import dataclasses
import secrets
import time

import pyotp
from sqlmodel import Session, select

from app.models import Tenant, User
from app.services import audit, passwords, sessions
from app.services.context import TenantContext, get_scoped
from app.services.errors import AuthenticationFailed, InvalidInput
from app.services.qr import qr_data_uri
from app.services.secrets import constant_time_equal, decrypt, encrypt, token_hash

RECOVERY_CODE_COUNT = 10
ISSUER = "Consilio"


@dataclasses.dataclass(frozen=True)
class Enrolment:
    """What the user needs to add Consilio to an authenticator app."""

    secret: str
    provisioning_uri: str
    qr_svg_data_uri: str


def _reauthenticate(user: User, password: str, code: str | None, session: Session) -> None:
    """Password, and the current code when 2FA is on, counted together as one
    re-authentication: wrong codes wait like wrong passwords."""
    assert user.id is not None
    with passwords.reauthenticating(user.id):
        passwords.check_current(user.password_hash, password)
        if user.totp_enabled and not check_code(session, user, code or ""):
            raise AuthenticationFailed("error.code_invalid")


def enrolment_required(session: Session, ctx: TenantContext) -> bool:
    """Whether the signed-in user must set up 2FA before acting in their role (an admin of a
    tenant that demands it, without it)."""
    user = get_scoped(session, ctx, User, ctx.user_id)
    tenant = session.get(Tenant, ctx.tenant_id)
    assert tenant is not None
    return sessions.must_enrol_second_factor(user, tenant)


def begin_enrolment(
    session: Session,
    ctx: TenantContext,
    *,
    password: str,
    code: str | None = None,
    issuer: str = ISSUER,
) -> Enrolment:
    """Start (re-)enrolment after re-authentication. Nothing is stored until confirmed.

    When 2FA is already on, the current code is required as well, so a stolen session alone
    cannot move the second factor to an attacker's phone. The caller keeps the returned secret
    server-side and passes it to :func:`confirm_enrolment`.
    """
    user = get_scoped(session, ctx, User, ctx.user_id)
    _reauthenticate(user, password, code, session)
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    qr = qr_data_uri(uri)
    audit.record(session, ctx, "auth.2fa_enrolment_started", target_type="user", target_id=user.id)
    return Enrolment(secret=secret, provisioning_uri=uri, qr_svg_data_uri=qr)


def confirm_enrolment(
    session: Session, ctx: TenantContext, *, secret: str, code: str, keep_token: str
) -> list[str]:
    """Activate 2FA with ``secret`` once the user typed a correct code from their app; every
    other browser of the user must sign in again (with the new factor).

    Args:
        keep_token: the session of the browser that confirms, which stays signed in.

    Returns:
        Fresh recovery codes, shown once; only their hashes are stored.
    """
    user = get_scoped(session, ctx, User, ctx.user_id)
    totp = pyotp.TOTP(secret)
    counter = _matching_counter(totp, code)
    if counter is None:
        raise InvalidInput("error.code_invalid")
    user.totp_secret_encrypted = encrypt(secret)
    user.totp_enabled = True
    user.totp_last_counter = counter
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_code_hashes = [token_hash(c) for c in codes]
    session.add(user)
    assert user.id is not None
    sessions.revoke_all_for_user(session, user.id, except_token=keep_token)
    audit.record(session, ctx, "auth.2fa_enabled", target_type="user", target_id=user.id)
    return codes


def disable(session: Session, ctx: TenantContext, *, password: str, code: str) -> None:
    """Turn 2FA off after re-authentication with password and a current code."""
    user = get_scoped(session, ctx, User, ctx.user_id)
    if not user.totp_enabled:
        return
    _reauthenticate(user, password, code, session)
    user.totp_enabled = False
    user.totp_secret_encrypted = None
    user.recovery_code_hashes = []
    user.totp_last_counter = 0
    session.add(user)
    audit.record(session, ctx, "auth.2fa_disabled", target_type="user", target_id=user.id)


def _matching_counter(totp: pyotp.TOTP, code: str) -> int | None:
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    now_counter = int(time.time()) // totp.interval
    for offset in (0, -1, 1):
        counter = now_counter + offset
        if constant_time_equal(totp.generate_otp(counter), code):
            return counter
    return None


def _lock(session: Session, user: User) -> User:
    """Re-read the user's row and hold it until commit: of two requests with the same code
    (or recovery code), the second waits for the first and then sees it used."""
    return session.exec(
        select(User)
        .where(User.id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def check_code(session: Session, user: User, code: str) -> bool:
    """Accept a TOTP code once (replays of the same or older time step fail) or a recovery code.

    Once, even concurrently: the user's row stays locked until the caller commits (on
    PostgreSQL; SQLite lets one writer at a time anyway). A used recovery code is removed.
    Changes are added to ``session``; the caller commits.
    """
    user = _lock(session, user)
    if not user.totp_enabled or not user.totp_secret_encrypted:
        return False
    code = code.strip()
    totp = pyotp.TOTP(decrypt(user.totp_secret_encrypted))
    counter = _matching_counter(totp, code)
    if counter is not None:
        if counter <= user.totp_last_counter:
            return False
        user.totp_last_counter = counter
        session.add(user)
        return True
    hashed = token_hash(code.lower())
    if hashed in user.recovery_code_hashes:
        user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != hashed]
        session.add(user)
        return True
    return False
