"""Logo and favicon uploads: checked by content, stored per tenant, served with safe headers."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session, select

from app.api.server import build_api
from app.models import AuditEvent, Tenant, TenantAsset
from app.services import brand_assets, tenants
from app.services.errors import AccessDenied, InvalidInput
from tests.factories import TenantWorld


def image_bytes(fmt: str, size: tuple[int, int] = (120, 40), color: str = "#0b6e4f") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def test_uploaded_logo_becomes_the_tenants_logo_and_is_audited(
    db: Session, alpha: TenantWorld
) -> None:
    data = image_bytes("PNG")
    tenant = brand_assets.upload(db, alpha.admin_ctx, "logo", data)
    db.commit()
    assert tenant.logo_url is not None
    assert tenant.logo_url.startswith("/api/brand/alpha/logo?v=")
    assert tenants.branding_of(db.get(Tenant, alpha.tenant.id)).logo_url == tenant.logo_url
    stored = brand_assets.published(db, "alpha", "logo")
    assert stored is not None
    assert (stored.data, stored.content_type, stored.width, stored.height) == (
        data,
        "image/png",
        120,
        40,
    )
    actions = set(db.exec(select(AuditEvent.action).where(AuditEvent.tenant_id == alpha.tenant.id)))
    assert "tenant.asset_uploaded" in actions


def test_new_upload_replaces_the_old_one_under_a_new_address(
    db: Session, alpha: TenantWorld
) -> None:
    first = brand_assets.upload(db, alpha.admin_ctx, "logo", image_bytes("PNG")).logo_url
    second = brand_assets.upload(
        db, alpha.admin_ctx, "logo", image_bytes("JPEG", color="#7a1f5c")
    ).logo_url
    db.commit()
    assert first != second
    rows = db.exec(select(TenantAsset).where(TenantAsset.tenant_id == alpha.tenant.id)).all()
    assert [(r.kind, r.content_type) for r in rows] == [("logo", "image/jpeg")]


BAD_UPLOADS = [
    ("logo", b"", "error.upload_missing"),
    (
        "logo",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        "error.image_invalid",
    ),
    ("logo", b"%PDF-1.7 not an image, only named logo.png", "error.image_invalid"),
    ("logo", image_bytes("PNG")[:60], "error.image_invalid"),
    ("logo", image_bytes("GIF"), "error.image_format"),
    ("favicon", image_bytes("JPEG", (32, 32)), "error.image_format"),
    ("logo", image_bytes("PNG", (3000, 20)), "error.image_dimensions"),
    ("favicon", image_bytes("PNG", (600, 600)), "error.image_dimensions"),
    ("logo", image_bytes("BMP", (600, 600)), "error.image_too_large"),
    ("banner", image_bytes("PNG"), "error.invalid_input"),
]


@pytest.mark.parametrize(
    ("kind", "data", "key"),
    BAD_UPLOADS,
    ids=[
        "empty",
        "svg",
        "pdf",
        "truncated",
        "gif",
        "jpeg-favicon",
        "wide",
        "big-favicon",
        "heavy",
        "kind",
    ],
)
def test_bad_upload_is_refused_with_a_reason_and_changes_nothing(
    db: Session, alpha: TenantWorld, kind: str, data: bytes, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        brand_assets.upload(db, alpha.admin_ctx, kind, data)
    db.rollback()
    assert refused.value.key == key
    assert db.get(Tenant, alpha.tenant.id).logo_url is None
    assert db.exec(select(TenantAsset)).all() == []


def test_only_admins_upload_and_only_into_their_tenant(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    with pytest.raises(AccessDenied):
        brand_assets.upload(db, alpha.advisor_ctx, "logo", image_bytes("PNG"))
    brand_assets.upload(db, beta.admin_ctx, "logo", image_bytes("PNG"))
    brand_assets.remove(db, alpha.admin_ctx, "logo")
    db.commit()
    assert brand_assets.published(db, "beta", "logo") is not None
    assert brand_assets.published(db, "alpha", "logo") is None


def test_api_serves_the_image_with_safe_headers_and_caches_each_version(
    db: Session, alpha: TenantWorld
) -> None:
    data = image_bytes("PNG")
    url = brand_assets.upload(db, alpha.admin_ctx, "logo", data).logo_url
    db.commit()
    client = TestClient(build_api())
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "immutable" in response.headers["cache-control"]
    assert "immutable" not in client.get("/api/brand/alpha/logo?v=old").headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/api/brand/alpha/favicon").status_code == 404
    assert client.get("/api/brand/nobody/logo").status_code == 404
