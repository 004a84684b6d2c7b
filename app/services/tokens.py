"""Single-use, expiring tokens for links sent by mail (invitations, password resets)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlmodel import Session, col, select, update

from app.models import ActionToken, TokenPurpose
from app.models.base import utcnow
from app.services.errors import InvalidInput
from app.services.secrets import token_hash


def issue(
    session: Session, *, tenant_id: int, user_id: int, purpose: TokenPurpose, lifetime: dt.timedelta
) -> str:
    """Create a token and invalidate the user's older unused ones of the same purpose."""
    now = utcnow()
    session.exec(
        update(ActionToken)  # type: ignore[call-overload]
        .where(
            col(ActionToken.user_id) == user_id,
            col(ActionToken.purpose) == purpose.value,
            col(ActionToken.used_at).is_(None),
        )
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    session.add(
        ActionToken(
            tenant_id=tenant_id,
            user_id=user_id,
            purpose=purpose.value,
            token_hash=token_hash(raw),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return raw


def peek(session: Session, *, tenant_id: int, raw: str, purpose: TokenPurpose) -> ActionToken:
    """Return the valid token for ``raw`` without using it up.

    Raises:
        InvalidInput: ``error.link_invalid`` (unknown, other tenant, used) or
            ``error.link_expired``.
    """
    if not raw or len(raw) > 200:
        raise InvalidInput("error.link_invalid")
    row = session.exec(select(ActionToken).where(ActionToken.token_hash == token_hash(raw))).first()
    if row is None or row.tenant_id != tenant_id or row.purpose != purpose.value or row.used_at:
        raise InvalidInput("error.link_invalid")
    if row.expires_at <= utcnow():
        raise InvalidInput("error.link_expired")
    return row


def consume(session: Session, *, tenant_id: int, raw: str, purpose: TokenPurpose) -> ActionToken:
    """Validate and use up a token, once even when two requests race with it.

    One conditional update marks it used (still unused, not expired): of two concurrent
    requests, on one backend worker or two, exactly one changes the row; on PostgreSQL the
    other waits for the first to commit and then finds nothing left to change.

    Raises:
        InvalidInput: as :func:`peek`, and ``error.link_invalid`` for the request that lost.
    """
    row = peek(session, tenant_id=tenant_id, raw=raw, purpose=purpose)
    now = utcnow()
    result = session.exec(
        update(ActionToken)  # type: ignore[call-overload]
        .where(
            col(ActionToken.id) == row.id,
            col(ActionToken.used_at).is_(None),
            col(ActionToken.expires_at) > now,
        )
        .values(used_at=now)
    )
    if result.rowcount != 1:
        raise InvalidInput("error.link_invalid")
    session.refresh(row)
    return row
