"""The tenant a page belongs to (from /t/{slug} or the host) and its public branding."""

from __future__ import annotations

import re

import reflex as rx
from sqlmodel import Session

from app import routes
from app.i18n import LANGUAGES, best_language
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
    privacy_href: str = ""  # the footer's privacy link: the tenant's notice or the default one
    imprint_url: str = ""
    terms_url: str = ""
    prefix: str = ""
    found: bool = True
    missing: str = "notfound.tenant"  # why not found: the message key of the not-found page
    _tenant_id: int = 0

    def _slug_in_url(self) -> str:
        """The ``/t/{slug}`` of the page's address: from the route, or (on the not-found
        page, which has no route parameters) read from the path itself."""
        slug = str(self.router.page.params.get("tenant", "") or "")
        if not slug:
            match = _TENANT_PATH.match(self.router.url.path or "")
            slug = match.group(1) if match else ""
        return slug[:40]

    def _resolve(self, db: Session) -> None:
        """Find the tenant from the page's URL and copy its branding into the state."""
        slug = self._slug_in_url()
        try:
            tenant = tenants.resolve_tenant(
                db, host=self.router.url.netloc, slug=slug, default=get_settings().default_tenant
            )
        except NotFound as missing:
            self._show_platform(missing.key)
            return
        self.prefix = routes.prefix_for(tenant.slug, on_custom_domain=not slug)
        self._apply(tenants.branding_of(tenant))

    def _show_platform(self, key: str) -> None:
        """No (active) tenant here: the platform's own look, every language, links home."""
        self.found, self._tenant_id = False, 0
        self.missing = (
            "notfound.suspended" if key == "error.tenant_suspended" else "notfound.tenant"
        )
        self._apply_look(_PLATFORM_LOOK)
        self.prefix, self.privacy_href = "", ""

    def _apply(self, brand: tenants.Branding) -> None:
        """Show ``brand`` (also called right after an admin changes it)."""
        self.found = True
        self._tenant_id = brand.tenant_id
        self._apply_look(brand)
        self.privacy_href = brand.privacy_url or (
            self._href(routes.PRIVACY_NOTICE) if brand.privacy_default_notice else ""
        )

    def _apply_look(self, brand: tenants.Branding) -> None:
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
        locale = await self.get_state(LocaleState)
        if locale.lang not in self.languages:
            locale.lang = best_language(
                self.router.headers.accept_language, self.languages, self.default_language
            )

    def _href(self, page: str, **query: str) -> str:
        """Browser path of a tenant page, with this tenant's prefix."""
        return routes.path(self.prefix, page, **query)


_TENANT_PATH = re.compile(r"^/t/([^/?#]+)")
# What a page shows where no active tenant is: the platform's name and colours.
_PLATFORM_LOOK = tenants.Branding(
    tenant_id=0,
    slug="",
    name="Consilio",
    logo_url="",
    favicon_url="",
    primary_color="#1f4e8c",
    accent_color="#e07a1f",
    on_primary="#ffffff",
    languages=LANGUAGES,
    default_language="en",
    modules=(),
    privacy_url="",
    imprint_url="",
    terms_url="",
)
