"""Links from mails: activating an invited account, forgetting and resetting a password."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app import routes
from app.services import users
from state.guard import Visiting, signing_in, visiting


class RecoveryState(rx.State):
    """Forgot / reset / activate forms. Tokens come from the URL, passwords from the form."""

    error: str = ""
    notice: str = ""
    done: bool = False
    greeting_name: str = ""
    min_length: int = 12

    def _token(self) -> str:
        return str(self.router.url.query_parameters.get("token", "") or "")

    @rx.event
    @visiting
    def open_link(self, visit: Visiting) -> None:
        """on_load of reset / activation pages: check the link before the user types."""
        self.error, self.notice, self.done, self.greeting_name = "", "", False, ""
        self.min_length = visit.tenant.password_min_length
        if self.router.url.path.endswith(routes.ACTIVATE):
            self.greeting_name = users.invitation_user(
                visit.db, visit.tenant, self._token()
            ).display_name

    @rx.event
    def clear(self) -> None:
        """on_load of the forgot-password page."""
        self.error, self.notice, self.done = "", "", False

    @rx.event
    @visiting
    def forgot(self, visit: Visiting, form: dict[str, Any]) -> None:
        """Mail a reset link; the answer never reveals whether the account exists."""
        users.request_password_reset(
            visit.db, visit.tenant, str(form.get("email", ""))[:254], client=visit.caller.client
        )
        self.notice = visit.text("forgot.sent")
        self.done = True

    def _passwords(self, form: dict[str, Any]) -> str | None:
        password = str(form.get("password", ""))
        if password != str(form.get("password_repeat", "")):
            return None
        return password

    @rx.event
    @signing_in
    def reset_with_link(self, visit: Visiting, form: dict[str, Any]) -> None:
        """Set a new password through a reset link."""
        password = self._passwords(form)
        if password is None:
            self.error = visit.text("error.passwords_differ")
            return
        users.reset_password(visit.db, visit.tenant, self._token(), password)
        self.notice = visit.text("reset.done")
        self.done = True

    @rx.event
    @signing_in
    def activate(self, visit: Visiting, form: dict[str, Any]) -> None:
        """Set the first password through an invitation link."""
        password = self._passwords(form)
        if password is None:
            self.error = visit.text("error.passwords_differ")
            return
        users.activate_account(visit.db, visit.tenant, self._token(), password)
        self.notice = visit.text("activate.done")
        self.done = True
