"""Branding: what admins may change, and that bad values change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Tenant
from app.services import tenants
from app.services.errors import AccessDenied, InvalidInput
from tests.factories import TenantWorld


def test_admin_changes_colours_and_links_and_it_is_audited(db: Session, alpha: TenantWorld) -> None:
    tenants.update_branding(
        db,
        alpha.admin_ctx,
        primary_color="#7a1f5c",
        privacy_url="https://alpha.example/privacy",
    )
    db.commit()
    brand = tenants.branding_of(db.get(Tenant, alpha.tenant.id))
    assert (brand.primary_color, brand.privacy_url) == ("#7a1f5c", "https://alpha.example/privacy")
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.tenant_id == alpha.tenant.id))
    assert "tenant.branding_changed" in set(actions)


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"primary_color": "red; background:url(x)"}, "error.color_invalid"),
        ({"accent_color": "#12345"}, "error.color_invalid"),
        ({"privacy_url": "javascript:alert(1)"}, "error.url_invalid"),
        ({"logo_url": "https://x.example/a b.png"}, "error.url_invalid"),
        ({"name": "  "}, "error.name_required"),
    ],
)
def test_bad_value_is_refused_and_nothing_changes(
    db: Session, alpha: TenantWorld, changes: dict[str, str], key: str
) -> None:
    before = tenants.branding_of(db.get(Tenant, alpha.tenant.id))
    with pytest.raises(InvalidInput) as refused:
        tenants.update_branding(db, alpha.admin_ctx, **{"accent_color": "#000000", **changes})
    db.rollback()
    assert refused.value.key == key
    assert tenants.branding_of(db.get(Tenant, alpha.tenant.id)) == before


@pytest.mark.parametrize("who", ["advisor", "customer"])
def test_only_admins_change_branding(db: Session, alpha: TenantWorld, who: str) -> None:
    ctx = alpha.advisor_ctx if who == "advisor" else alpha.customer_ctx
    with pytest.raises(AccessDenied):
        tenants.update_branding(db, ctx, primary_color="#000000")


@pytest.mark.parametrize(
    ("background", "text"),
    [
        ("#0b6e4f", "#ffffff"),
        ("#1f4e8c", "#ffffff"),
        ("#ffd400", "#111111"),
        ("#f5f5f5", "#111111"),
    ],
)
def test_header_text_stays_readable_on_the_tenants_colour(background: str, text: str) -> None:
    assert tenants.readable_text_on(background) == text
