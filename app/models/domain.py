"""Custom domains tenants claim, and the proof that makes a claim route to them."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, optional_time_field


class DomainStatus(enum.StrEnum):
    """Where a claim stands. Only a verified or approved domain serves the tenant's pages."""

    PENDING = "pending"
    VERIFIED = "verified"  # proven with the DNS TXT record
    APPROVED = "approved"  # vouched for by a super admin


ROUTABLE = (DomainStatus.VERIFIED.value, DomainStatus.APPROVED.value)
_PROVEN = sa.text("status <> 'pending'")


class TenantDomain(SQLModel, table=True):
    """One host a tenant wants its pages on.

    Several tenants may wait on the same host, but only one may hold it proven: the partial
    unique index refuses a second verified or approved row even when two proofs race.
    """

    __tablename__ = "tenant_domain"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "host", name="uq_tenant_domain_host"),
        sa.Index(
            "uq_tenant_domain_proven_host",
            "host",
            unique=True,
            postgresql_where=_PROVEN,
            sqlite_where=_PROVEN,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    host: str = Field(max_length=253, index=True)
    status: str = Field(default=DomainStatus.PENDING.value, max_length=16)
    challenge: str = Field(max_length=64)
    created_at: dt.datetime = created_at_field()
    confirmed_at: dt.datetime | None = optional_time_field()
