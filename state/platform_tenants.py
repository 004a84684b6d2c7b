"""Super admins create and suspend tenants and invite each tenant's first admin."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.services import tenants
from app.services.guard import SUPER_ADMINS
from state.guard import Acting, acting


class PlatformTenantsState(rx.State):
    """The tenants list and the create form."""

    error: str = ""
    notice: str = ""
    rows: list[dict[str, str]] = []

    def _reload(self, act: Acting) -> None:
        self.rows = [
            {
                "id": str(t.id),
                "slug": t.slug,
                "name": t.name,
                "domains": " ".join(t.domains),
                "users": str(count),
                "active": "1" if t.active else "",
            }
            for t, count in tenants.list_tenants(act.db, act.ctx)
        ]

    @rx.event
    @acting(SUPER_ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: all tenants."""
        self._reload(act)

    @rx.event
    @acting(SUPER_ADMINS)
    def create(self, act: Acting, form: dict[str, Any]) -> None:
        """Create a tenant and invite its first admin."""
        tenant = tenants.create_tenant(
            act.db,
            act.ctx,
            slug=str(form.get("slug", "")),
            name=str(form.get("name", "")),
            domains=str(form.get("domains", "")),
        )
        tenants.invite_first_admin(
            act.db,
            act.ctx,
            tenant,
            email=str(form.get("admin_email", "")),
            display_name=str(form.get("admin_name", "")),
        )
        self.notice = act.text("tenants.created", name=tenant.name)
        self._reload(act)

    @rx.event
    @acting(SUPER_ADMINS)
    def set_active(self, act: Acting, tenant_id: str, active: bool) -> None:
        """Suspend or re-enable a tenant."""
        tenants.set_tenant_active(act.db, act.ctx, tenant_id, active)
        self._reload(act)
