"""Admins change the tenant's look and settings; the change shows at once on every page."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app.i18n import LANGUAGES
from app.models import BUILT_MODULES, AssetKind
from app.services import brand_assets, tenants
from app.services.guard import ADMINS
from state.guard import Acting, acting


class BrandingState(rx.State):
    """The branding form, filled from the tenant."""

    error: str = ""
    notice: str = ""
    values: dict[str, str] = {}
    languages: list[str] = []
    modules: list[str] = []
    smtp_host: str = ""
    smtp_port: str = ""
    smtp_username: str = ""
    smtp_password_set: bool = False

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: current values."""
        tenant = tenants.get_tenant(act.db, act.ctx)
        self.values = {
            "name": tenant.name,
            "logo_url": tenant.logo_url or "",
            "favicon_url": tenant.favicon_url or "",
            "primary_color": tenant.primary_color,
            "accent_color": tenant.accent_color,
            "default_language": tenant.default_language,
            "password_min_length": str(tenant.password_min_length),
            "privacy_url": tenant.privacy_url or "",
            "imprint_url": tenant.imprint_url or "",
            "terms_url": tenant.terms_url or "",
            "embed_origins": " ".join(tenant.embed_origins),
            "mail_from": tenant.mail_from or "",
        }
        self.languages = list(tenant.languages)
        self.modules = [m for m in tenant.modules if m in BUILT_MODULES]
        self.smtp_host, self.smtp_port = tenant.smtp_host or "", str(tenant.smtp_port or "")
        self.smtp_username = tenant.smtp_username or ""
        self.smtp_password_set = bool(tenant.smtp_password_encrypted)

    @rx.event
    def toggle_language(self, lang: str, on: bool) -> None:
        """Tick or untick an offered language (saved with the form)."""
        if lang in LANGUAGES:
            chosen = set(self.languages) | {lang} if on else set(self.languages) - {lang}
            self.languages = [code for code in LANGUAGES if code in chosen]

    @rx.event
    def toggle_module(self, module: str, on: bool) -> None:
        """Tick or untick a module that exists (saved with the form; the service refuses
        the others too)."""
        if module in BUILT_MODULES:
            chosen = set(self.modules) | {module} if on else set(self.modules) - {module}
            self.modules = [m for m in BUILT_MODULES if m in chosen]

    @rx.event
    @acting(ADMINS)
    def save(self, act: Acting, form: dict[str, Any]) -> None:
        """Validate and store everything; the page shell picks up the new look at once."""
        fields = (
            "name",
            "primary_color",
            "accent_color",
            "default_language",
            "password_min_length",
            "privacy_url",
            "imprint_url",
            "terms_url",
            "embed_origins",
            "mail_from",
        )
        changes: dict[str, Any] = {k: str(form.get(k, "")) for k in fields if k in form}
        changes["languages"], changes["modules"] = self.languages, self.modules
        tenant = tenants.update_branding(act.db, act.ctx, **changes)
        act.caller.tenant._apply(tenants.branding_of(tenant))
        self.notice = act.text("branding.saved")

    @acting(ADMINS)
    def _store_image(self, act: Acting, kind: AssetKind, data: bytes) -> None:
        tenant = brand_assets.upload(act.db, act.ctx, kind.value, data)
        act.caller.tenant._apply(tenants.branding_of(tenant))
        self.values[f"{kind.value}_url"] = (
            tenant.logo_url if kind is AssetKind.LOGO else tenant.favicon_url
        ) or ""
        self.notice = act.text("branding.image_saved")

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]) -> EventSpec:
        """Store the uploaded logo (checked by content on the server)."""
        await self._store_image(AssetKind.LOGO, await _first_file(files, AssetKind.LOGO))
        return rx.clear_selected_files("logo-upload")

    @rx.event
    async def upload_favicon(self, files: list[rx.UploadFile]) -> EventSpec:
        """Store the uploaded favicon (checked by content on the server)."""
        await self._store_image(AssetKind.FAVICON, await _first_file(files, AssetKind.FAVICON))
        return rx.clear_selected_files("favicon-upload")

    @rx.event
    @acting(ADMINS)
    def remove_image(self, act: Acting, kind: str) -> None:
        """Drop the logo or favicon."""
        tenant = brand_assets.remove(act.db, act.ctx, kind)
        act.caller.tenant._apply(tenants.branding_of(tenant))
        self.values[f"{kind}_url"] = ""
        self.notice = act.text("branding.image_removed")

    @rx.event
    @acting(ADMINS)
    def save_smtp(self, act: Acting, form: dict[str, Any]) -> None:
        """Store the tenant's SMTP server; an empty password field keeps the stored one."""
        password = str(form.get("smtp_password", ""))
        tenant = tenants.update_smtp(
            act.db,
            act.ctx,
            host=str(form.get("smtp_host", "")),
            port=str(form.get("smtp_port", "")),
            username=str(form.get("smtp_username", "")),
            password=password or None,
        )
        self.smtp_host, self.smtp_port = tenant.smtp_host or "", str(tenant.smtp_port or "")
        self.smtp_password_set = bool(tenant.smtp_password_encrypted)
        self.notice = act.text("branding.smtp_saved")


async def _first_file(files: list[rx.UploadFile], kind: AssetKind) -> bytes:
    """The first uploaded file, read up to one byte over its limit (the service refuses it)."""
    limit = brand_assets.LIMITS[kind].max_bytes
    return await files[0].read(limit + 1) if files else b""
