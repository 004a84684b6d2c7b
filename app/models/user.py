"""People who sign in: super admins, tenant admins, advisors and customers; their teams."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, json_field, optional_time_field


class Role(enum.StrEnum):
    """What a user may do. Super admins run the platform; the others work in one tenant."""

    SUPER_ADMIN = "super_admin"
    ADMIN = "admin"
    ADVISOR = "advisor"
    CUSTOMER = "customer"


class UserStatus(enum.StrEnum):
    """Lifecycle of an account: invited until the link is used, inactive when deactivated."""

    INVITED = "invited"
    ACTIVE = "active"
    INACTIVE = "inactive"


class Team(SQLModel, table=True):
    """A group of advisors, e.g. a branch or a specialist desk."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    name: str = Field(max_length=120)
    topics: list[str] = json_field()
    locations: list[str] = json_field()
    created_at: dt.datetime = created_at_field()


class User(SQLModel, table=True):
    """An account in one tenant; the email is unique within the tenant."""

    __tablename__ = "app_user"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "email", name="uq_user_tenant_email"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    email: str = Field(max_length=254)
    display_name: str = Field(max_length=120)
    role: str = Field(default=Role.CUSTOMER.value, max_length=20)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    is_team_lead: bool = Field(default=False)
    status: str = Field(default=UserStatus.INVITED.value, max_length=20)
    password_hash: str | None = Field(default=None, max_length=300)
    totp_secret_encrypted: str | None = Field(default=None, max_length=500)
    totp_enabled: bool = Field(default=False)
    totp_last_counter: int = Field(default=0)
    recovery_code_hashes: list[str] = json_field()
    locale: str = Field(default="de", max_length=5)
    timezone: str = Field(default="Europe/Berlin", max_length=64)
    created_at: dt.datetime = created_at_field()
    updated_at: dt.datetime = created_at_field()
    last_login_at: dt.datetime | None = optional_time_field()
