"""Signing in and out: passwords, throttling, the second factor.

Messages never reveal whether an account exists: a wrong email and a wrong password fail
alike, unknown accounts take the same time (dummy hash) and are throttled the same way.

Failed attempts (wrong password or code) are counted in app/services/rate_limits.py, never
as a lock on the account that anyone could set off:

- per account and address: a few failures, then that address waits, longer with each tier
  (the owner's own address is not slowed down by someone else's failures);
- per account from all addresses: a higher limit against guessing from many addresses;
- per address across accounts: against trying one password on many accounts.

The last two apply only where the account has not signed in from that address lately, so
neither guessing from elsewhere nor strangers failing behind the owner's office or carrier
NAT can lock the owner out of the places they use. Each attempt takes its slot under every
count before the password or code is checked and gives it back when it was right, so
attempts racing on several workers never get more checks than a tier allows.

A refused attempt says how long to wait; nothing sleeps. Every attempt that fails or is
refused is audited (``auth.login_failed`` with the address, and the typed email only when
it looks like one: people type their password in the wrong field).
"""

from __future__ import annotations

import dataclasses
import re

from sqlmodel import Session, select

from app.models import Role, Tenant, User, UserStatus
from app.models.base import utcnow
from app.services import audit, passwords, rate_limits, sessions, totp
from app.services.context import TenantContext
from app.services.errors import AuthenticationFailed, NotSignedIn
from app.services.rate_limits import (
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
    LOGIN_FAILURES_PER_ADDRESS,
    SIGNED_IN_FROM,
    Held,
    Slot,
    TooManyAttempts,
)

NOT_AN_ADDRESS = "(not an address)"
AUDITED_EMAIL_LENGTH = 100
_LOOKS_LIKE_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclasses.dataclass(frozen=True)
class LoginResult:
    """Where a sign-in stands: only what the sign-in form needs to go on.

    A completed sign-in carries ``handover``, the code with which the browser collects its
    session as an HttpOnly cookie (:func:`sessions.redeem_handover`); the session's own token
    never leaves the server. A sign-in waiting for its second factor carries ``pending``
    instead: the half-open session's token, for the caller to keep server-side for the code
    step (no cookie can be collected with it).
    """

    role: Role
    locale: str
    handover: str = ""
    pending: str = ""

    @property
    def needs_second_factor(self) -> bool:
        """Whether a TOTP or recovery code must follow."""
        return bool(self.pending)


def normalize_email(email: str) -> str:
    """Lower-case and trim an email address for lookups."""
    return email.strip().lower()


def audited_email(typed: str) -> str:
    """What of a typed email the audit keeps, where the tenant's admins read it: the address
    (shortened) when it looks like one, else only a marker, since it may be a password typed
    in the wrong field."""
    if not _LOOKS_LIKE_ADDRESS.fullmatch(typed):
        return NOT_AN_ADDRESS
    return typed[:AUDITED_EMAIL_LENGTH]


@dataclasses.dataclass(frozen=True)
class Attempt:
    """Who tries to sign in to which account, as the rate limits count it."""

    tenant: Tenant
    email: str
    client: str

    @property
    def account(self) -> str:
        """The account as counted: tenant and normalised email (existing or not)."""
        return f"{self.tenant.id}:{self.email}"

    @property
    def address(self) -> str:
        """The client's address as counted (IPv6 by its /64)."""
        return rate_limits.address_key(self.client)

    def limits(self) -> list[Held]:
        """The counts this attempt is held to: the account-wide and the address-wide ones
        only from addresses the account has not signed in from lately."""
        held: list[Held] = [(LOGIN_FAILURES_PER_ACCOUNT_ADDRESS, (self.account, self.address))]
        if not SIGNED_IN_FROM.recalls(self.account, self.address):
            held += [
                (LOGIN_FAILURES_PER_ADDRESS, (self.address,)),
                (LOGIN_FAILURES_PER_ACCOUNT, (self.account,)),
            ]
        return held

    def audit_failure(self, session: Session, user: User | None, **details: object) -> None:
        """Audit a failed or refused attempt and commit it now: the caller's unit of work
        rolls back on the error that follows."""
        audit.record(
            session,
            None,
            "auth.login_failed",
            tenant_id=self.tenant.id,
            target_type="user",
            target_id=user.id if user else "",
            details={"email": audited_email(self.email), "address": self.client, **details},
        )
        session.commit()

    def admit(self, session: Session) -> Slot:
        """Take this attempt's slot under every count at once, before anything is checked;
        refuse (audited) while any of them is used up.

        Returns:
            The slot, to give back when the attempt turns out right; a failure keeps it.

        Raises:
            TooManyAttempts: ``error.too_many_attempts_*`` with the longest wait.
        """
        try:
            return rate_limits.take_all(self.limits())
        except TooManyAttempts as refused:
            wait = round(refused.wait_seconds)
            self.audit_failure(session, None, throttled=True, wait_seconds=wait)
            raise

    def failed(self, session: Session, user: User | None, step: str) -> None:
        """Audit a wrong password or code (its slot stays counted)."""
        self.audit_failure(session, user, step=step)

    def succeeded(self) -> None:
        """The account is fully signed in from here: this address starts afresh and is
        remembered as one the owner uses."""
        LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.forget(self.account, self.address)
        SIGNED_IN_FROM.remember(self.account, self.address)


def login(
    session: Session,
    tenant: Tenant,
    email: str,
    password: str,
    *,
    client: str = "",
    user_agent: str = "",
) -> LoginResult:
    """Check credentials and open a session.

    Args:
        client: the browser's address (the real one behind configured proxies); every
            door must pass it, or all its callers share one count.

    Returns:
        With 2FA on, the half-open session's token in ``pending`` (the caller keeps it
        server-side for :func:`complete_second_factor`); else the hand-over code.

    Raises:
        AuthenticationFailed: wrong credentials (``error.login_failed``).
        TooManyAttempts: too many failures lately (see the module's description).
        Failed and refused attempts stay counted (their slot was taken before the check)
        and are audited in their own commit, before the error reaches the caller's unit
        of work.
    """
    assert tenant.id is not None
    attempt = Attempt(tenant, normalize_email(email)[:254], client)
    slot = attempt.admit(session)
    user = session.exec(
        select(User).where(User.tenant_id == tenant.id, User.email == attempt.email)
    ).first()
    ok, needs_rehash = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or user.status != UserStatus.ACTIVE:
        attempt.failed(session, user, "password")
        raise AuthenticationFailed("error.login_failed")
    slot.refund()
    if not user.totp_enabled:
        attempt.succeeded()
    if needs_rehash:
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
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
        details={"address": client},
    )
    if user.totp_enabled:
        return LoginResult(Role(user.role), user.locale, pending=token)
    return LoginResult(Role(user.role), user.locale, handover=sessions.hand_over(token))


def complete_second_factor(
    session: Session, tenant: Tenant, token: str, code: str, *, client: str = ""
) -> LoginResult:
    """Finish a login with a TOTP code or a recovery code.

    Raises:
        NotSignedIn: the half-open session is unknown or too old.
        AuthenticationFailed: wrong code (``error.code_invalid``), counted like a wrong
            password; the password alone never resets the count, so guessing codes stays slow.
        TooManyAttempts: too many failures lately.
    """
    user = sessions.pending_user(session, token)
    if user.tenant_id != tenant.id:
        raise NotSignedIn()
    attempt = Attempt(tenant, user.email, client)
    slot = attempt.admit(session)
    if not totp.check_code(session, user, code):
        attempt.failed(session, user, "code")
        raise AuthenticationFailed("error.code_invalid")
    slot.refund()
    attempt.succeeded()
    sessions.mark_second_factor_passed(session, token)
    assert user.id is not None
    ctx = TenantContext(tenant.id or 0, tenant.slug, user.id, None, user.email)
    audit.record(
        session,
        ctx,
        "auth.login",
        target_type="user",
        target_id=user.id,
        details={"second_factor": True, "address": client},
    )
    return LoginResult(Role(user.role), user.locale, handover=sessions.hand_over(token))


def logout(session: Session, token: str) -> None:
    """End the browser's session for real (the token stops working everywhere)."""
    user_id = sessions.revoke(session, token)
    if user_id is not None:
        user = session.get(User, user_id)
        if user is not None:
            ctx = TenantContext(user.tenant_id, "", user_id, None, user.email)
            audit.record(session, ctx, "auth.logout", target_type="user", target_id=user_id)
