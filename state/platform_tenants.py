"""Super admins create and suspend tenants, invite each tenant's first admin, and approve or
refuse the custom domains tenants wait on."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.services import domains, onboarding, tenants
from app.services.guard import SUPER_ADMINS
from state.guard import Acting, acting


@dataclasses.dataclass
class TenantRow:
    """One line of the tenants table."""

    id: str = ""
    slug: str = ""
    name: str = ""
    domains: str = ""  # the proven ones, as shown in mails
    users: str = ""
    active: bool = True
    own: bool = False  # the platform's own tenant: it cannot be suspended


class PlatformTenantsState(rx.State):
    """The tenants list, the create form and the domains waiting for approval."""

    error: str = ""
    notice: str = ""
    rows: list[TenantRow] = []
    pending: list[dict[str, str]] = []
    create_revision: int = 0  # changed after a tenant was created: the form starts over

    def _reload(self, act: Acting) -> None:
        self.rows = [
            TenantRow(
                id=str(t.id),
                slug=t.slug,
                name=t.name,
                domains=" ".join(domains.routable_domains(act.db, t.id)),
                users=str(count),
                active=t.active,
                own=t.id == act.ctx.tenant_id,
            )
            for t, count in tenants.list_tenants(act.db, act.ctx)
        ]
        self.pending = [
            {
                "id": str(claim.id),
                "host": claim.host,
                "tenant": f"{tenant.name} ({tenant.slug})",
                "requested": act.when(claim.created_at),
            }
            for claim, tenant in domains.list_pending(act.db, act.ctx)
        ]

    @rx.event
    @acting(SUPER_ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: all tenants and the domains waiting for approval."""
        self._reload(act)

    @rx.event
    @acting(SUPER_ADMINS)
    def create(self, act: Acting, form: dict[str, Any]) -> None:
        """Create a tenant (its domains approved at once) and invite its first admin."""
        tenant = onboarding.open_tenant(
            act.db,
            act.ctx,
            slug=str(form.get("slug", "")),
            name=str(form.get("name", "")),
            domains=str(form.get("domains", "")),
            admin_email=str(form.get("admin_email", "")),
            admin_name=str(form.get("admin_name", "")),
        )
        self.notice = act.text("tenants.created", name=tenant.name)
        self.create_revision += 1
        self._reload(act)

    @rx.event
    @acting(SUPER_ADMINS)
    def set_active(self, act: Acting, tenant_id: str, active: bool) -> None:
        """Suspend (asked for confirmation on the page) or re-enable a tenant."""
        tenant = tenants.set_tenant_active(act.db, act.ctx, tenant_id, active)
        self.notice = act.text(
            "tenants.activated_notice" if active else "tenants.suspended_notice", name=tenant.name
        )
        self._reload(act)

    @rx.event
    @acting(SUPER_ADMINS)
    def approve_domain(self, act: Acting, domain_id: str) -> None:
        """Vouch for a pending domain: it serves its tenant's pages at once."""
        claim = domains.approve_domain(act.db, act.ctx, domain_id)
        shown = next((row["tenant"] for row in self.pending if row["id"] == domain_id), "")
        self.notice = act.text("tenants.domain_approved", domain=claim.host, tenant=shown)
        self._reload(act)

    @rx.event
    @acting(SUPER_ADMINS)
    def refuse_domain(self, act: Acting, domain_id: str) -> None:
        """Delete a pending domain claim (asked for confirmation on the page)."""
        claim = domains.refuse_domain(act.db, act.ctx, domain_id)
        self.notice = act.text("tenants.domain_refused", domain=claim.host)
        self._reload(act)
