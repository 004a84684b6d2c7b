"""Who is signed in in this browser, and whether they may see the current page.

The session token lives in an HttpOnly cookie that only the server sets
(``/api/session/start`` after sign-in, ``/api/session/end`` after sign-out, see
app/api/session.py); this state reads it from the event socket's handshake and never holds
it in a var.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from app import routes
from app.models import Role
from app.services import auth, guard, sessions
from app.services.guard import PageAccess
from state.guard import Caller, off_loop
from state.tenant import TenantState

HOME_OF_ROLE = {
    Role.SUPER_ADMIN: routes.PLATFORM_TENANTS,
    Role.ADMIN: routes.ADMIN_USERS,
    Role.ADVISOR: routes.ADVISOR,
    Role.CUSTOMER: routes.CUSTOMER,
}


def full_navigation(path: str) -> EventSpec:
    """Leave the single-page app for a plain HTTP request (the server sets cookies there);
    the page that follows opens a new event socket that carries the new cookie."""
    return rx.call_script(f"window.location.replace({json.dumps(path)})")


class SessionState(rx.State):
    """What the page shell shows about the signed-in user, and the page guard."""

    signed_in: bool = False
    display_name: str = ""
    role: str = ""
    page_access: str = "checking"

    def _show(self, who: sessions.SignedIn | None) -> None:
        if who is None:
            self.signed_in, self.display_name, self.role = False, "", ""
        else:
            self.signed_in, self.display_name, self.role = True, who.display_name, who.role.value

    def _check(self, roles_key: str) -> Callable[[Session, Caller], PageAccess]:
        """The page check for ``roles_key``, to run off the event loop."""

        def check(db: Session, caller: Caller) -> PageAccess:
            tenant_id = caller.tenant._tenant_id_in(db)
            access, who = guard.check_page(db, caller.token, tenant_id, roles_key)
            self._show(who)
            return access

        return check

    @rx.event
    async def enter(self, roles_key: str):  # type: ignore[no-untyped-def]
        """on_load guard of a page: sign-in required and one of the page's roles.

        A visitor who is not signed in goes to the login page (and comes back afterwards);
        a signed-in user without the role sees the 403 view.
        """
        self.page_access = "checking"
        access = await off_loop(self, self._check(roles_key))
        tenant = await self.get_state(TenantState)
        if access is PageAccess.SIGN_IN and tenant.found:
            return rx.redirect(tenant._href(routes.LOGIN, next=self.router.url.path))
        if access is PageAccess.ENROL_2FA:
            return rx.redirect(tenant._href(routes.ACCOUNT))
        self.page_access = "granted" if access is PageAccess.GRANTED else "denied"
        return None

    @rx.event
    async def peek(self) -> None:
        """on_load of public pages: show the user menu when someone is signed in."""
        await off_loop(self, self._check("any"))

    @rx.event
    async def go_home(self):  # type: ignore[no-untyped-def]
        """/home: send the user to the start page of their role."""
        await off_loop(self, self._check("any"))
        tenant = await self.get_state(TenantState)
        if not self.signed_in:
            return rx.redirect(tenant._href(routes.LOGIN))
        return rx.redirect(tenant._href(HOME_OF_ROLE[Role(self.role)]))

    @rx.event
    async def logout(self):  # type: ignore[no-untyped-def]
        """End the session on the server, then let the server forget the cookie."""
        await off_loop(self, lambda db, caller: auth.logout(db, caller.token))
        self._show(None)
        self.page_access = "checking"
        tenant = await self.get_state(TenantState)
        return full_navigation(
            routes.path("", routes.SESSION_END, next=tenant._href(routes.LOGIN), bye="1")
        )
