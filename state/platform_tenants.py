"""Super admins create and suspend tenants and invite each tenant's first admin."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.models import Role
from app.services import tenants
from state.guard import Acting, acting

SUPER = frozenset({Role.SUPER_ADMIN})


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
    async def load(self) -> None:
        """on_load: all tenants."""
        async with acting(self, SUPER) as act:
            self._reload(act)

    @rx.event
    async def create(self, form: dict[str, Any]) -> None:
        """Create a tenant and invite its first admin."""
        async with acting(self, SUPER) as act:
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
    async def set_active(self, tenant_id: str, active: bool) -> None:
        """Suspend or re-enable a tenant."""
        async with acting(self, SUPER) as act:
            tenants.set_tenant_active(act.db, act.ctx, int(tenant_id), active)
            self._reload(act)
