"""Signing in (password, then code when 2FA is on)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app import routes
from app.models import Role, User
from app.services import auth
from state.guard import visiting
from state.locale import LocaleState
from state.session import HOME_OF_ROLE, SessionState
from state.tenant import TenantState


class LoginState(rx.State):
    """The login form. Passwords arrive in the submitted form and are never kept in state."""

    email: str = ""
    error: str = ""
    busy: bool = False
    _pending_token: str = ""

    @rx.event
    def reset_form(self) -> None:
        """on_load: a fresh form."""
        self.error = ""
        self.busy = False

    async def _finish(self, token: str, user: User):  # type: ignore[no-untyped-def]
        session = await self.get_state(SessionState)
        session.start(token, user.display_name, Role(user.role))
        locale = await self.get_state(LocaleState)
        tenant = await self.get_state(TenantState)
        locale.use(user.locale, tenant.languages)
        target = str(self.router.url.query_parameters.get("next", "") or "")
        if not target.startswith(tenant.prefix + "/") or target.startswith("//"):
            target = tenant.href(HOME_OF_ROLE[Role(user.role)])
        return rx.redirect(target)

    @rx.event
    async def submit(self, form: dict[str, Any]):  # type: ignore[no-untyped-def]
        """Check email and password; continue to the code step when 2FA is on."""
        self.email = str(form.get("email", ""))[:254]
        password = str(form.get("password", ""))
        result = user = None
        async with visiting(self) as v:
            result = auth.login(
                v.db, v.tenant, self.email, password, user_agent=self.router.headers.user_agent
            )
            user = v.db.get(User, result.user_id)
        if result is None or user is None:
            return None
        if result.needs_second_factor:
            self._pending_token = result.token
            tenant = await self.get_state(TenantState)
            return rx.redirect(
                tenant.href(
                    routes.SECOND_FACTOR, next=str(self.router.url.query_parameters.get("next", ""))
                )
            )
        return await self._finish(result.token, user)

    @rx.event
    async def submit_code(self, form: dict[str, Any]):  # type: ignore[no-untyped-def]
        """Second step: the TOTP or recovery code."""
        tenant = await self.get_state(TenantState)
        if not self._pending_token:
            return rx.redirect(tenant.href(routes.LOGIN))
        user = None
        async with visiting(self) as v:
            user = auth.complete_second_factor(
                v.db, v.tenant, self._pending_token, str(form.get("code", ""))
            )
        if user is None:
            return None
        token, self._pending_token = self._pending_token, ""
        return await self._finish(token, user)
