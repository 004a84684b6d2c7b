"""Logo and favicon uploads: checked by content (Pillow decodes them), stored per tenant.

An upload replaces the tenant's ``logo_url`` / ``favicon_url`` with the address the API serves
it under (``/api/brand/{slug}/{kind}?v={hash}``), so pages, mails and the favicon pick it up
at once and browsers may cache it for good (a new upload gets a new address).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import warnings

from PIL import Image, UnidentifiedImageError
from sqlmodel import Session, select

from app.models import AssetKind, Tenant, TenantAsset
from app.models.base import utcnow
from app.services import audit
from app.services.context import TenantContext, scoped
from app.services.errors import AccessDenied, InvalidInput
from app.services.guard import ADMINS
from app.services.tenants import get_tenant


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one kind of image may be."""

    max_bytes: int
    max_side: int
    formats: dict[str, str]  # Pillow format -> content type served


LIMITS = {
    AssetKind.LOGO: Limits(
        max_bytes=512_000,
        max_side=2048,
        formats={"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"},
    ),
    AssetKind.FAVICON: Limits(
        max_bytes=128_000,
        max_side=512,
        formats={"PNG": "image/png", "ICO": "image/x-icon"},
    ),
}


def _kind(value: str) -> AssetKind:
    try:
        return AssetKind(value)
    except ValueError:
        raise InvalidInput("error.invalid_input") from None


def _inspect(data: bytes, limits: Limits) -> tuple[str, int, int]:
    """(content type, width, height) of an acceptable image, else InvalidInput."""
    if not data:
        raise InvalidInput("error.upload_missing")
    if len(data) > limits.max_bytes:
        raise InvalidInput("error.image_too_large", max_kb=limits.max_bytes // 1000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format or "", image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning):
        raise InvalidInput("error.image_invalid") from None
    if fmt not in limits.formats:
        raise InvalidInput("error.image_format", formats=", ".join(limits.formats))
    if width > limits.max_side or height > limits.max_side:
        raise InvalidInput("error.image_dimensions", max_side=limits.max_side)
    return limits.formats[fmt], width, height


def public_path(slug: str, kind: AssetKind, sha256: str) -> str:
    """Where the API serves a tenant's image (the hash makes each version's address unique)."""
    return f"/api/brand/{slug}/{kind.value}?v={sha256[:16]}"


def _set_url(tenant: Tenant, kind: AssetKind, url: str | None) -> None:
    if kind is AssetKind.LOGO:
        tenant.logo_url = url
    else:
        tenant.favicon_url = url


def upload(session: Session, ctx: TenantContext, kind: str, data: bytes) -> Tenant:
    """Store a new logo or favicon of the caller's tenant (admins only).

    Raises:
        InvalidInput: empty, too large, not an image, a format not allowed, or too big in
            pixels. Nothing changes then.
    """
    if ctx.role not in ADMINS:
        raise AccessDenied()
    asset_kind = _kind(kind)
    content_type, width, height = _inspect(data, LIMITS[asset_kind])
    tenant = get_tenant(session, ctx)
    digest = hashlib.sha256(data).hexdigest()
    old = session.exec(scoped(ctx, TenantAsset).where(TenantAsset.kind == asset_kind.value)).first()
    if old is not None:
        session.delete(old)
        session.flush()
    session.add(
        TenantAsset(
            tenant_id=ctx.tenant_id,
            kind=asset_kind.value,
            content_type=content_type,
            data=data,
            sha256=digest,
            width=width,
            height=height,
            updated_at=utcnow(),
        )
    )
    _set_url(tenant, asset_kind, public_path(tenant.slug, asset_kind, digest))
    session.add(tenant)
    audit.record(
        session,
        ctx,
        "tenant.asset_uploaded",
        target_type="tenant",
        target_id=ctx.tenant_id,
        details={"kind": asset_kind.value, "sha256": digest, "bytes": len(data)},
    )
    session.flush()
    return tenant


def remove(session: Session, ctx: TenantContext, kind: str) -> Tenant:
    """Drop the tenant's logo or favicon; pages fall back to the name / default icon."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    asset_kind = _kind(kind)
    tenant = get_tenant(session, ctx)
    row = session.exec(scoped(ctx, TenantAsset).where(TenantAsset.kind == asset_kind.value)).first()
    if row is not None:
        session.delete(row)
    _set_url(tenant, asset_kind, None)
    session.add(tenant)
    audit.record(
        session,
        ctx,
        "tenant.asset_removed",
        target_type="tenant",
        target_id=ctx.tenant_id,
        details={"kind": asset_kind.value},
    )
    session.flush()
    return tenant


def published(session: Session, slug: str, kind: str) -> TenantAsset | None:
    """A tenant's image for anyone to fetch (logos and favicons are public by nature)."""
    try:
        asset_kind = AssetKind(kind)
    except ValueError:
        return None
    return session.exec(
        select(TenantAsset)
        .join(Tenant, Tenant.id == TenantAsset.tenant_id)  # type: ignore[arg-type]
        .where(Tenant.slug == slug, Tenant.active, TenantAsset.kind == asset_kind.value)
    ).first()
