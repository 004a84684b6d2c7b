"""Branding: what admins may change, and that bad values change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import BUILT_MODULES, AuditEvent, Role, Tenant
from app.services import tenants
from app.services.errors import AccessDenied, InvalidInput, NotFound
from tests.factories import TenantWorld, context_of, make_tenant, make_user


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


def test_admin_cannot_switch_on_a_module_that_is_not_built(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(InvalidInput) as refused:
        tenants.update_branding(db, alpha.admin_ctx, modules=["meetings", "booking"])
    db.rollback()
    assert refused.value.key == "error.module_not_available"
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None and tenant.modules == ["meetings"]
    tenants.update_branding(db, alpha.admin_ctx, modules=[])  # switching off is fine
    db.commit()
    db.refresh(tenant)
    assert tenant.modules == []


def test_new_tenants_get_only_built_modules_and_pages_show_only_those(
    db: Session, alpha: TenantWorld
) -> None:
    platform = make_tenant(db, "platform")
    operator = make_user(db, platform, "op@consilio.example", Role.SUPER_ADMIN)
    created = tenants.create_tenant(db, context_of(platform, operator), slug="neu", name="Neu AG")
    assert created.modules == list(BUILT_MODULES) == ["meetings"]
    legacy = db.get(Tenant, alpha.tenant.id)  # switched on before unbuilt ones were refused
    assert legacy is not None
    legacy.modules = ["booking", "meetings", "portal"]
    assert tenants.branding_of(legacy).modules == ("meetings",)


def test_a_suspended_tenant_is_told_apart_from_an_unknown_one(
    db: Session, alpha: TenantWorld
) -> None:
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    tenant.active = False
    db.commit()
    with pytest.raises(NotFound) as suspended:
        tenants.resolve_tenant(db, slug="alpha")
    with pytest.raises(NotFound) as unknown:
        tenants.resolve_tenant(db, slug="nobody")
    assert (suspended.value.key, unknown.value.key) == (
        "error.tenant_suspended",
        "error.tenant_not_found",
    )
