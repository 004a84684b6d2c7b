"""The signed-in user's own account: profile, language, password, two-factor authentication."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.models import User
from app.services import totp, users
from app.services.context import get_scoped
from app.services.guard import ALL_ROLES
from state.guard import Acting, acting
from state.session import SessionState


class AccountState(rx.State):
    """Profile and security settings of the signed-in user."""

    error: str = ""
    notice: str = ""
    display_name: str = ""
    timezone: str = ""
    twofa_enabled: bool = False
    twofa_required: bool = False  # the tenant demands it of admins, and it is not set up
    enrolling: bool = False
    qr_data_uri: str = ""
    manual_key: str = ""
    recovery_codes: list[str] = []
    _pending_secret: str = ""

    @rx.event
    @acting(ALL_ROLES)
    def load(self, act: Acting) -> None:
        """Fill the forms from the profile."""
        self.enrolling, self.recovery_codes, self.qr_data_uri, self.manual_key = False, [], "", ""
        user = get_scoped(act.db, act.ctx, User, act.ctx.user_id)
        self.display_name, self.timezone = user.display_name, user.timezone
        self.twofa_enabled = user.totp_enabled
        self.twofa_required = totp.enrolment_required(act.db, act.ctx)

    @rx.event
    async def save_profile(self, form: dict[str, Any]) -> None:
        """Change name and time zone (the page header shows the new name at once)."""
        name = await self._save_profile(form)
        if name:
            (await self.get_state(SessionState)).display_name = name

    @acting(ALL_ROLES)
    def _save_profile(self, act: Acting, form: dict[str, Any]) -> str:
        user = users.update_profile(
            act.db,
            act.ctx,
            display_name=str(form.get("display_name", "")),
            timezone=str(form.get("timezone", "")),
        )
        self.display_name, self.timezone = user.display_name, user.timezone
        self.notice = act.text("account.profile_saved")
        return user.display_name

    @rx.event
    @acting(ALL_ROLES)
    def change_password(self, act: Acting, form: dict[str, Any]) -> None:
        """Change the password; other browsers are signed out."""
        users.change_password(
            act.db,
            act.ctx,
            current=str(form.get("current", "")),
            new=str(form.get("new", "")),
            keep_token=act.token,
        )
        self.notice = act.text("account.password_changed")

    @rx.event
    @acting(ALL_ROLES)
    def start_2fa(self, act: Acting, form: dict[str, Any]) -> None:
        """Re-authenticate and show a QR code for a new authenticator secret."""
        enrolment = totp.begin_enrolment(
            act.db,
            act.ctx,
            password=str(form.get("password", "")),
            code=str(form.get("code", "")) or None,
            issuer=act.caller.tenant.name,
        )
        self._pending_secret = enrolment.secret
        self.qr_data_uri, self.manual_key = enrolment.qr_svg_data_uri, enrolment.secret
        self.enrolling, self.recovery_codes = True, []

    @rx.event
    @acting(ALL_ROLES)
    def confirm_2fa(self, act: Acting, form: dict[str, Any]) -> None:
        """Turn 2FA on with the first code; show recovery codes once."""
        if not self._pending_secret:
            return
        codes = totp.confirm_enrolment(
            act.db,
            act.ctx,
            secret=self._pending_secret,
            code=str(form.get("code", "")),
            keep_token=act.token,
        )
        self._pending_secret, self.enrolling, self.qr_data_uri, self.manual_key = "", False, "", ""
        self.recovery_codes, self.twofa_enabled, self.twofa_required = codes, True, False
        self.notice = act.text("account.twofa_enabled")

    @rx.event
    @acting(ALL_ROLES)
    def disable_2fa(self, act: Acting, form: dict[str, Any]) -> None:
        """Turn 2FA off with password and a current code."""
        totp.disable(
            act.db,
            act.ctx,
            password=str(form.get("password", "")),
            code=str(form.get("code", "")),
        )
        self.twofa_enabled, self.recovery_codes = False, []
        self.notice = act.text("account.twofa_disabled")

    @rx.event
    def cancel_2fa(self) -> None:
        """Abandon an enrolment that was not confirmed."""
        self._pending_secret, self.enrolling, self.qr_data_uri, self.manual_key = "", False, "", ""
