"""Images a tenant uploads for its look (logo, favicon), kept in the database.

In the database rather than on a disk so every web backend serves them and backups hold them.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field


class AssetKind(enum.StrEnum):
    """What an uploaded image is for."""

    LOGO = "logo"
    FAVICON = "favicon"


class TenantAsset(SQLModel, table=True):
    """One uploaded image of a tenant; a new upload of the same kind replaces it."""

    __tablename__ = "tenant_asset"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "kind", name="uq_tenant_asset_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    kind: str = Field(max_length=16)
    content_type: str = Field(max_length=64)
    data: bytes = Field(sa_type=sa.LargeBinary)
    sha256: str = Field(max_length=64)
    width: int
    height: int
    updated_at: dt.datetime = created_at_field()
