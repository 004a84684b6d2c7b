"""The tenant a page belongs to (from /t/{slug} or the host) and its public branding."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app import routes
from app.i18n import best_language
from app.services import tenants
from app.services.db import unit_of_work
from app.services.errors import NotFound
from app.settings import get_settings
from state.locale import LocaleState
from state.threads import in_worker


class TenantState(rx.State):
    """Public branding of the current tenant; the tenant id stays on the server."""

    slug: str = ""
    name: str = "Consilio"
    logo_url: str = ""
    favicon_url: str = ""
    primary_color: str = "#1f4e8c"
    accent_color: str = "#e07a1f"
    on_primary: str = "#ffffff"
    languages: list[str] = ["de", "en", "fr", "it", "es"]
    default_language: str = "de"
    modules: list[str] = []
    privacy_url: str = ""
    imprint_url: str = ""
    terms_url: str = ""
    prefix: str = ""
    found: bool = True
    _tenant_id: int = 0

    def _resolve(self, db: Session) -> None:
        """Find the tenant from the page's URL and copy its branding into the state."""
        slug = str(self.router.page.params.get("tenant", "") or "")
        try:
            tenant = tenants.resolve_tenant(
                db, host=self.router.url.netloc, slug=slug, default=get_settings().default_tenant
            )
        except NotFound:
            self.found = False
            self._tenant_id = 0
            return
        self._apply(tenants.branding_of(tenant))
        self.prefix = routes.prefix_for(tenant.slug, on_custom_domain=not slug)

    def _apply(self, brand: tenants.Branding) -> None:
        """Show ``brand`` (also called right after an admin changes it)."""
        self.found = True
        self._tenant_id = brand.tenant_id
        self.slug = brand.slug
        self.name = brand.name
        self.logo_url = brand.logo_url
        self.favicon_url = brand.favicon_url
        self.primary_color = brand.primary_color
        self.accent_color = brand.accent_color
        self.on_primary = brand.on_primary
        self.languages = list(brand.languages)
        self.default_language = brand.default_language
        self.modules = list(brand.modules)
        self.privacy_url = brand.privacy_url
        self.imprint_url = brand.imprint_url
        self.terms_url = brand.terms_url

    def _tenant_id_in(self, db: Session) -> int:
        """The page's tenant id (0 when the URL matches no tenant), resolved on first use."""
        if not self._tenant_id:
            self._resolve(db)
        return self._tenant_id

    def _load(self) -> None:
        with unit_of_work() as db:
            self._resolve(db)

    @rx.event
    async def load(self) -> None:
        """First event of every page: tenant, branding and a language the tenant offers."""
        await in_worker(self._load)
        if not self.found:
            return
        locale = await self.get_state(LocaleState)
        if locale.lang not in self.languages:
            locale.lang = best_language(
                self.router.headers.accept_language, self.languages, self.default_language
            )

    def _href(self, page: str, **query: str) -> str:
        """Browser path of a tenant page, with this tenant's prefix."""
        return routes.path(self.prefix, page, **query)
