"""Accounts in a tenant: invitations, activation, roles, deactivation, passwords, profile."""

from __future__ import annotations

import datetime as dt
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from app import routes
from app.i18n import LANGUAGES
from app.models import Role, Team, Tenant, TokenPurpose, User, UserStatus
from app.models.base import utcnow
from app.services import audit, mail_outbox, passwords, rate_limits, sessions, tokens
from app.services.context import TenantContext, get_scoped, scoped
from app.services.domains import routable_domains
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.guard import ADMINS
from app.settings import get_settings

TENANT_ROLES = (Role.ADMIN, Role.ADVISOR, Role.CUSTOMER)


def clean_email(raw: str) -> str:
    """Validate an address's syntax (no DNS lookup) and return it normalised to lower case."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput("error.email_invalid", email=raw.strip()[:80]) from None
    return result.normalized.lower()


def clean_name(raw: str) -> str:
    """A display name: trimmed, 1 to 120 characters, no control characters."""
    name = " ".join(raw.split())
    if not name or len(name) > 120 or any(ord(c) < 32 for c in name):
        raise InvalidInput("error.name_required")
    return name


def _require_admin(ctx: TenantContext) -> None:
    if ctx.role not in ADMINS:
        raise AccessDenied()


def _tenant(session: Session, ctx: TenantContext) -> Tenant:
    tenant = session.get(Tenant, ctx.tenant_id)
    if tenant is None:
        raise NotFound()
    return tenant


def list_users(session: Session, ctx: TenantContext, *, search: str = "") -> list[User]:
    """The tenant's users, sorted by name (admins only)."""
    _require_admin(ctx)
    query = scoped(ctx, User)
    if search.strip():
        needle = f"%{search.strip().lower()}%"
        query = query.where(col(User.email).ilike(needle) | col(User.display_name).ilike(needle))
    return list(session.exec(query.order_by(col(User.display_name))).all())


def get_user(session: Session, ctx: TenantContext, user_id: int | str) -> User:
    """One user of the caller's tenant; users see themselves, admins see everyone."""
    user = get_scoped(session, ctx, User, user_id)
    if ctx.user_id != user.id:
        _require_admin(ctx)
    return user


def _send_invitation(session: Session, tenant: Tenant, user: User) -> None:
    """Mail an activation link, within the tenant's budget of invitation mails (admins
    inviting, resending and importing together; a refusal rolls the invitation back)."""
    assert tenant.id is not None and user.id is not None
    rate_limits.INVITATION_MAILS.take(str(tenant.id))
    raw = tokens.issue(
        session,
        tenant_id=tenant.id,
        user_id=user.id,
        purpose=TokenPurpose.INVITATION,
        lifetime=dt.timedelta(hours=get_settings().invitation_valid_hours),
    )
    mail_outbox.queue_mail(
        session,
        tenant,
        "invitation",
        to=user.email,
        locale=user.locale,
        params={"name": user.display_name, "hours": get_settings().invitation_valid_hours},
        personal_link=routes.absolute_url(
            tenant.slug, routable_domains(session, tenant.id), routes.ACTIVATE, token=raw
        ),
    )


def invite_user(
    session: Session,
    ctx: TenantContext,
    *,
    email: str,
    display_name: str,
    role: Role | str,
    team_id: int | None = None,
    is_team_lead: bool = False,
    locale: str | None = None,
) -> User:
    """Create an invited account and mail its activation link (admins only).

    Raises:
        TooManyAttempts: the tenant's invitation mails (CONSILIO_LIMIT_INVITATION_MAILS)
            are used up for now.
    """
    _require_admin(ctx)
    tenant = _tenant(session, ctx)
    address = clean_email(email)
    name = clean_name(display_name)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput("error.role_invalid") from None
    if role not in TENANT_ROLES:
        raise InvalidInput("error.role_invalid")
    if team_id is not None:
        get_scoped(session, ctx, Team, team_id)
    locale = locale or tenant.default_language
    if locale not in LANGUAGES:
        raise InvalidInput("error.language_invalid")
    existing = session.exec(scoped(ctx, User).where(User.email == address)).first()
    if existing is not None:
        raise InvalidInput("error.email_taken", email=address)
    user = User(
        tenant_id=ctx.tenant_id,
        email=address,
        display_name=name,
        role=role.value,
        team_id=team_id,
        is_team_lead=is_team_lead and team_id is not None,
        status=UserStatus.INVITED.value,
        locale=locale,
    )
    session.add(user)
    session.flush()
    _send_invitation(session, tenant, user)
    audit.record(
        session,
        ctx,
        "user.invited",
        target_type="user",
        target_id=user.id,
        details={"email": address, "role": role.value, "team_id": team_id},
    )
    return user


def resend_invitation(session: Session, ctx: TenantContext, user_id: int | str) -> User:
    """Mail a fresh activation link; earlier links stop working (admins only).

    Raises:
        TooManyAttempts: as :func:`invite_user`.
    """
    _require_admin(ctx)
    user = get_scoped(session, ctx, User, user_id)
    if user.status != UserStatus.INVITED:
        raise InvalidInput("error.user_not_invited")
    _send_invitation(session, _tenant(session, ctx), user)
    audit.record(session, ctx, "user.invitation_resent", target_type="user", target_id=user.id)
    return user


def change_role(session: Session, ctx: TenantContext, user_id: int | str, role: Role | str) -> User:
    """Give a user another tenant role (admins only; nobody demotes themselves)."""
    _require_admin(ctx)
    try:
        new_role = Role(role)
    except ValueError:
        raise InvalidInput("error.role_invalid") from None
    if new_role not in TENANT_ROLES:
        raise InvalidInput("error.role_invalid")
    user = get_scoped(session, ctx, User, user_id)
    if user.id == ctx.user_id:
        raise InvalidInput("error.cannot_change_own_role")
    if user.role == Role.SUPER_ADMIN:
        raise AccessDenied()
    old = user.role
    user.role = new_role.value
    user.updated_at = utcnow()
    session.add(user)
    # New permissions take effect on the next request; fewer permissions must not linger.
    sessions.revoke_all_for_user(session, user.id or 0)
    audit.record(
        session,
        ctx,
        "user.role_changed",
        target_type="user",
        target_id=user.id,
        details={"from": old, "to": new_role.value},
    )
    return user


def set_team(
    session: Session, ctx: TenantContext, user_id: int, team_id: int | None, is_team_lead: bool
) -> User:
    """Put a user in a team (or none) and set the team-lead flag (admins only)."""
    _require_admin(ctx)
    user = get_scoped(session, ctx, User, user_id)
    if team_id is not None:
        get_scoped(session, ctx, Team, team_id)
    user.team_id = team_id
    user.is_team_lead = bool(is_team_lead and team_id is not None)
    user.updated_at = utcnow()
    session.add(user)
    audit.record(
        session,
        ctx,
        "user.team_changed",
        target_type="user",
        target_id=user.id,
        details={"team_id": team_id, "is_team_lead": user.is_team_lead},
    )
    return user


def deactivate_user(session: Session, ctx: TenantContext, user_id: int | str) -> User:
    """Deactivate an account; its sessions end at once (admins only, not themselves)."""
    _require_admin(ctx)
    user = get_scoped(session, ctx, User, user_id)
    if user.id == ctx.user_id:
        raise InvalidInput("error.cannot_deactivate_self")
    if user.role == Role.SUPER_ADMIN and ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()
    user.status = UserStatus.INACTIVE.value
    user.updated_at = utcnow()
    session.add(user)
    sessions.revoke_all_for_user(session, user.id or 0)
    audit.record(session, ctx, "user.deactivated", target_type="user", target_id=user.id)
    return user


def reactivate_user(session: Session, ctx: TenantContext, user_id: int | str) -> User:
    """Let a deactivated user sign in again (invited again if they never set a password)."""
    _require_admin(ctx)
    user = get_scoped(session, ctx, User, user_id)
    if user.status != UserStatus.INACTIVE:
        raise InvalidInput("error.user_not_inactive")
    user.status = (UserStatus.ACTIVE if user.password_hash else UserStatus.INVITED).value
    user.updated_at = utcnow()
    session.add(user)
    audit.record(session, ctx, "user.reactivated", target_type="user", target_id=user.id)
    return user


def activate_account(session: Session, tenant: Tenant, raw_token: str, password: str) -> User:
    """Set the first password through an invitation link; the account becomes active."""
    assert tenant.id is not None
    token = tokens.peek(
        session, tenant_id=tenant.id, raw=raw_token, purpose=TokenPurpose.INVITATION
    )
    passwords.check_policy(password, tenant.password_min_length)
    tokens.consume(session, tenant_id=tenant.id, raw=raw_token, purpose=TokenPurpose.INVITATION)
    user = session.get(User, token.user_id)
    if user is None or user.status != UserStatus.INVITED:
        raise InvalidInput("error.link_invalid")
    user.password_hash = passwords.hash_password(password)
    user.status = UserStatus.ACTIVE.value
    user.updated_at = utcnow()
    session.add(user)
    ctx = TenantContext(tenant.id, tenant.slug, user.id, Role(user.role), user.email)
    audit.record(session, ctx, "user.activated", target_type="user", target_id=user.id)
    return user


def invitation_user(session: Session, tenant: Tenant, raw_token: str) -> User:
    """Who an invitation link is for (to greet them); raises for invalid or expired links."""
    assert tenant.id is not None
    token = tokens.peek(
        session, tenant_id=tenant.id, raw=raw_token, purpose=TokenPurpose.INVITATION
    )
    user = session.get(User, token.user_id)
    if user is None:
        raise InvalidInput("error.link_invalid")
    return user


def request_password_reset(
    session: Session, tenant: Tenant, email: str, *, client: str = ""
) -> None:
    """Mail a reset link if an active account has this address; silent otherwise.

    The answer is the same either way, so the form cannot be used to probe for accounts.
    Requests are counted per address ``client`` (the browser's) across accounts and per
    account and address, existing or not: both are checked before either is counted, and
    past them the requester is told to wait. Per account from all addresses there is a cap
    far above what one address reaches, so nobody floods a mailbox from many addresses;
    past it no more mails go out but the answer stays the same, and addresses the account
    signed in from lately are exempt, so strangers cannot spend the owner's own requests.

    Raises:
        TooManyAttempts: too many requests from this address (for this account) lately.
    """
    assert tenant.id is not None
    try:
        address = clean_email(email)
    except InvalidInput:
        return
    account, client_key = f"{tenant.id}:{address}", rate_limits.address_key(client)
    rate_limits.take_all(
        [
            (rate_limits.PASSWORD_RESETS_PER_ADDRESS, (client_key,)),
            (rate_limits.PASSWORD_RESETS_PER_ACCOUNT_ADDRESS, (account, client_key)),
        ]
    )
    user = session.exec(
        select(User).where(User.tenant_id == tenant.id, User.email == address)
    ).first()
    if user is None or user.status != UserStatus.ACTIVE:
        audit.record(
            session,
            None,
            "auth.reset_requested_unknown",
            tenant_id=tenant.id,
            details={"email": address},
        )
        return
    assert user.id is not None
    ctx = TenantContext(tenant.id, tenant.slug, user.id, None, user.email)
    if not rate_limits.SIGNED_IN_FROM.recalls(account, client_key):
        try:
            rate_limits.PASSWORD_RESETS_PER_ACCOUNT.take(account)
        except rate_limits.TooManyAttempts:
            audit.record(
                session,
                ctx,
                "auth.reset_not_sent",
                target_type="user",
                target_id=user.id,
                details={"address": client, "reason": "account_limit"},
            )
            return
    minutes = get_settings().reset_valid_minutes
    raw = tokens.issue(
        session,
        tenant_id=tenant.id,
        user_id=user.id,
        purpose=TokenPurpose.PASSWORD_RESET,
        lifetime=dt.timedelta(minutes=minutes),
    )
    mail_outbox.queue_mail(
        session,
        tenant,
        "password_reset",
        to=user.email,
        locale=user.locale,
        params={"name": user.display_name, "minutes": minutes},
        personal_link=routes.absolute_url(
            tenant.slug, routable_domains(session, tenant.id), routes.RESET_PASSWORD, token=raw
        ),
    )
    audit.record(session, ctx, "auth.reset_requested", target_type="user", target_id=user.id)


def reset_password(session: Session, tenant: Tenant, raw_token: str, password: str) -> User:
    """Set a new password through a reset link; every session of the user ends."""
    assert tenant.id is not None
    token = tokens.peek(
        session, tenant_id=tenant.id, raw=raw_token, purpose=TokenPurpose.PASSWORD_RESET
    )
    passwords.check_policy(password, tenant.password_min_length)
    tokens.consume(session, tenant_id=tenant.id, raw=raw_token, purpose=TokenPurpose.PASSWORD_RESET)
    user = session.get(User, token.user_id)
    if user is None or user.status != UserStatus.ACTIVE:
        raise InvalidInput("error.link_invalid")
    user.password_hash = passwords.hash_password(password)
    user.updated_at = utcnow()
    session.add(user)
    assert user.id is not None
    sessions.revoke_all_for_user(session, user.id)
    ctx = TenantContext(tenant.id, tenant.slug, user.id, None, user.email)
    audit.record(session, ctx, "auth.password_reset", target_type="user", target_id=user.id)
    return user


def change_password(
    session: Session, ctx: TenantContext, *, current: str, new: str, keep_token: str
) -> None:
    """Change one's own password; other browsers are signed out."""
    user = get_scoped(session, ctx, User, ctx.user_id)
    assert user.id is not None
    passwords.confirm_current(user.id, user.password_hash, current)
    passwords.check_policy(new, _tenant(session, ctx).password_min_length)
    user.password_hash = passwords.hash_password(new)
    user.updated_at = utcnow()
    session.add(user)
    sessions.revoke_all_for_user(session, ctx.user_id or 0, except_token=keep_token)
    audit.record(session, ctx, "auth.password_changed", target_type="user", target_id=user.id)


def update_profile(
    session: Session,
    ctx: TenantContext,
    *,
    display_name: str | None = None,
    locale: str | None = None,
    timezone: str | None = None,
) -> User:
    """Change one's own name, language or time zone."""
    user = get_scoped(session, ctx, User, ctx.user_id)
    if display_name is not None:
        user.display_name = clean_name(display_name)
    if locale is not None:
        if locale not in _tenant(session, ctx).languages:
            raise InvalidInput("error.language_invalid")
        user.locale = locale
    if timezone is not None:
        if timezone not in available_timezones():
            raise InvalidInput("error.timezone_invalid")
        user.timezone = timezone
    user.updated_at = utcnow()
    session.add(user)
    return user
