"""Which sites may show a tenant's pages in a frame: https origins only, set by its admins."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Tenant
from app.services import tenants
from app.services.errors import AccessDenied, InvalidInput
from tests.factories import TenantWorld


def test_admin_lets_https_sites_embed_the_pages_and_it_is_audited(
    db: Session, alpha: TenantWorld
) -> None:
    tenants.update_branding(
        db,
        alpha.admin_ctx,
        embed_origins="https://WWW.Bank.example/ https://portal.bank.example:8443, "
        "https://www.bank.example:443",
    )
    db.commit()
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    assert tenant.embed_origins == ["https://portal.bank.example:8443", "https://www.bank.example"]
    audit = db.exec(select(AuditEvent).where(AuditEvent.action == "tenant.branding_changed")).one()
    assert "embed_origins" in audit.details


def test_new_tenants_may_not_be_embedded_and_an_empty_field_forbids_it_again(
    db: Session, alpha: TenantWorld
) -> None:
    assert alpha.tenant.embed_origins == []
    tenants.update_branding(db, alpha.admin_ctx, embed_origins="https://www.bank.example")
    tenants.update_branding(db, alpha.admin_ctx, embed_origins="  ")
    db.commit()
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None and tenant.embed_origins == []


@pytest.mark.parametrize(
    "origin",
    [
        "http://www.bank.example",  # no TLS: anyone on the path could frame the pages
        "https://www.bank.example/portal",  # an origin has no path
        "https://*.bank.example",  # no wildcards
        "https://www.bank.example:99999",
        "'self' https://www.bank.example",  # no CSP keywords smuggled in
        "https://www.bank.example; script-src *",
        "javascript:alert(1)",
        "https://localhost",
    ],
)
def test_anything_but_a_bare_https_origin_is_refused_and_nothing_changes(
    db: Session, alpha: TenantWorld, origin: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        tenants.update_branding(db, alpha.admin_ctx, embed_origins=origin)
    db.rollback()
    assert refused.value.key == "error.embed_origin_invalid"
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None and tenant.embed_origins == []


def test_at_most_ten_sites_may_embed_the_pages(db: Session, alpha: TenantWorld) -> None:
    many = " ".join(f"https://site{i}.example" for i in range(11))
    with pytest.raises(InvalidInput, match="embed_origins_too_many"):
        tenants.update_branding(db, alpha.admin_ctx, embed_origins=many)


def test_only_admins_decide_who_may_embed_the_pages(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AccessDenied):
        tenants.update_branding(db, alpha.advisor_ctx, embed_origins="https://www.bank.example")
