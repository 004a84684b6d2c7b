"""The append-only, hash-chained audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field


class AuditEvent(SQLModel, table=True):
    """Who did what to which target, when. Each row carries the hash of its predecessor."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.UniqueConstraint("chain_key", "seq", name="uq_audit_chain_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    chain_key: int = Field(index=True, description="tenant id, 0 for platform events")
    seq: int
    tenant_id: int | None = Field(default=None, foreign_key="tenant.id", index=True)
    created_at: dt.datetime = created_at_field()
    actor_id: int | None = Field(default=None)
    actor_label: str = Field(default="", max_length=254)
    action: str = Field(max_length=80, index=True)
    target_type: str = Field(default="", max_length=40)
    target_id: str = Field(default="", max_length=80)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditChainHead(SQLModel, table=True):
    """Last sequence number and hash per chain; locked while appending to serialise writers."""

    __tablename__ = "audit_chain_head"

    chain_key: int = Field(primary_key=True)
    last_seq: int = Field(default=0)
    last_hash: str = Field(default="0" * 64, max_length=64)
