"""Sign-in sessions and single-use action tokens (failed sign-ins are counted in
app/services/rate_limits.py, not in the database)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, created_at_field, optional_time_field


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the token is stored."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    second_factor_passed: bool = Field(default=False)
    created_at: dt.datetime = created_at_field()
    last_seen_at: dt.datetime = created_at_field()
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    revoked_at: dt.datetime | None = optional_time_field()
    user_agent: str = Field(default="", max_length=300)


class TokenPurpose(enum.StrEnum):
    """What a single-use link lets its holder do."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose name, not a secret)


class ActionToken(SQLModel, table=True):
    """A single-use, expiring token sent by mail (invitation, password reset)."""

    __tablename__ = "action_token"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    purpose: str = Field(max_length=30)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: dt.datetime = created_at_field()
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: dt.datetime | None = optional_time_field()
