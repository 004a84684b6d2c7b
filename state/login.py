"""Signing in (password, then code when 2FA is on)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app import routes
from app.services import auth
from state.guard import Caller, Visiting, signing_in
from state.session import HOME_OF_ROLE, full_navigation


class LoginState(rx.State):
    """The login form. Passwords arrive in the submitted form and are never kept in state."""

    email: str = ""
    error: str = ""
    signed_out: bool = False
    _pending_token: str = ""

    @rx.event
    def reset_form(self) -> None:
        """on_load: a fresh form (saying so right after a sign-out)."""
        self.error = ""
        self.signed_out = self.router.url.query_parameters.get("bye") == "1"

    def _next(self) -> str:
        return str(self.router.url.query_parameters.get("next", "") or "")

    def _finish(self, caller: Caller, result: auth.LoginResult) -> EventSpec:
        """Collect the session as an HttpOnly cookie, then go where the user was going."""
        caller.locale._use(result.locale, caller.tenant.languages)
        home = caller.tenant._href(HOME_OF_ROLE[result.role])
        target = routes.safe_next(self._next(), caller.tenant.prefix, home)
        return full_navigation(
            routes.path("", routes.SESSION_START, code=result.handover, next=target)
        )

    @rx.event
    @signing_in
    def submit(self, visit: Visiting, form: dict[str, Any]) -> EventSpec | None:
        """Check email and password; continue to the code step when 2FA is on."""
        self.email = str(form.get("email", ""))[:254]
        result = auth.login(
            visit.db,
            visit.tenant,
            self.email,
            str(form.get("password", "")),
            client=visit.caller.client,
            user_agent=self.router.headers.user_agent,
        )
        if result.needs_second_factor:
            self._pending_token = result.pending
            return rx.redirect(visit.caller.tenant._href(routes.SECOND_FACTOR, next=self._next()))
        return self._finish(visit.caller, result)

    @rx.event
    @signing_in
    def submit_code(self, visit: Visiting, form: dict[str, Any]) -> EventSpec | None:
        """Second step: the TOTP or recovery code."""
        if not self._pending_token:
            return rx.redirect(visit.caller.tenant._href(routes.LOGIN))
        result = auth.complete_second_factor(
            visit.db,
            visit.tenant,
            self._pending_token,
            str(form.get("code", "")),
            client=visit.caller.client,
        )
        self._pending_token = ""
        return self._finish(visit.caller, result)
