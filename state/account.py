"""The signed-in user's own account: profile, language, password, two-factor authentication."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.models import User
from app.services import sessions, totp, users
from app.services.context import get_scoped
from app.services.db import unit_of_work
from app.services.errors import NotSignedIn
from app.services.guard import ALL_ROLES
from state.guard import acting
from state.session import SessionState
from state.tenant import TenantState


async def remember_language(state: rx.State, lang: str) -> None:
    """Store a language choice in the signed-in user's profile (no-op for visitors)."""
    session = await state.get_state(SessionState)
    tenant = await state.get_state(TenantState)
    if not session.token:
        return
    try:
        with unit_of_work() as db:
            who = sessions.validate(db, session.token)
            if who.tenant_id != tenant.tenant_id:
                return
            user = db.get(User, who.user_id)
            if user is not None and lang in tenant.languages:
                user.locale = lang
                db.add(user)
    except NotSignedIn:
        return


class AccountState(rx.State):
    """Profile and security settings of the signed-in user."""

    error: str = ""
    notice: str = ""
    display_name: str = ""
    timezone: str = ""
    twofa_enabled: bool = False
    enrolling: bool = False
    qr_data_uri: str = ""
    manual_key: str = ""
    recovery_codes: list[str] = []
    _pending_secret: str = ""

    @rx.event
    async def load(self) -> None:
        """Fill the forms from the profile."""
        self.enrolling, self.recovery_codes, self.qr_data_uri, self.manual_key = False, [], "", ""
        async with acting(self, ALL_ROLES) as act:
            user = get_scoped(act.db, act.ctx, User, act.ctx.user_id)
            self.display_name, self.timezone = user.display_name, user.timezone
            self.twofa_enabled = user.totp_enabled

    @rx.event
    async def save_profile(self, form: dict[str, Any]) -> None:
        """Change name and time zone."""
        async with acting(self, ALL_ROLES) as act:
            user = users.update_profile(
                act.db,
                act.ctx,
                display_name=str(form.get("display_name", "")),
                timezone=str(form.get("timezone", "")),
            )
            self.display_name, self.timezone = user.display_name, user.timezone
            session = await self.get_state(SessionState)
            session.display_name = user.display_name
            self.notice = act.text("account.profile_saved")

    @rx.event
    async def change_password(self, form: dict[str, Any]) -> None:
        """Change the password; other browsers are signed out."""
        async with acting(self, ALL_ROLES) as act:
            users.change_password(
                act.db,
                act.ctx,
                current=str(form.get("current", "")),
                new=str(form.get("new", "")),
                keep_token=act.token,
            )
            self.notice = act.text("account.password_changed")

    @rx.event
    async def start_2fa(self, form: dict[str, Any]) -> None:
        """Re-authenticate and show a QR code for a new authenticator secret."""
        async with acting(self, ALL_ROLES) as act:
            enrolment = totp.begin_enrolment(
                act.db,
                act.ctx,
                password=str(form.get("password", "")),
                code=str(form.get("code", "")) or None,
                issuer=(await self.get_state(TenantState)).name,
            )
            self._pending_secret = enrolment.secret
            self.qr_data_uri, self.manual_key = enrolment.qr_svg_data_uri, enrolment.secret
            self.enrolling, self.recovery_codes = True, []

    @rx.event
    async def confirm_2fa(self, form: dict[str, Any]) -> None:
        """Turn 2FA on with the first code; show recovery codes once."""
        if not self._pending_secret:
            return
        async with acting(self, ALL_ROLES) as act:
            codes = totp.confirm_enrolment(
                act.db, act.ctx, secret=self._pending_secret, code=str(form.get("code", ""))
            )
            totp.end_other_sessions(act.db, act.ctx.user_id or 0, act.token)
            self._pending_secret, self.enrolling, self.qr_data_uri, self.manual_key = (
                "",
                False,
                "",
                "",
            )
            self.recovery_codes, self.twofa_enabled = codes, True
            self.notice = act.text("account.twofa_enabled")

    @rx.event
    async def disable_2fa(self, form: dict[str, Any]) -> None:
        """Turn 2FA off with password and a current code."""
        async with acting(self, ALL_ROLES) as act:
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
