"""Background jobs that failed for good, shown to admins."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field


class JobFailure(SQLModel, table=True):
    """A Dramatiq message that exhausted its retries."""

    __tablename__ = "job_failure"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int | None = Field(default=None, foreign_key="tenant.id", index=True)
    actor: str = Field(max_length=100)
    message_id: str = Field(max_length=64, unique=True)
    args: list[Any] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    error: str = Field(default="", max_length=4000)
    failed_at: dt.datetime = created_at_field()
