"""Who is signed in in this browser, and whether they may see the current page."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.models import Role
from app.services import auth, guard, sessions
from app.services.db import unit_of_work
from app.services.errors import NotSignedIn
from state.locale import LocaleState
from state.tenant import TenantState

PAGE_ROLES: dict[str, frozenset[Role]] = {
    "any": guard.ALL_ROLES,
    "staff": guard.STAFF,
    "advisor": frozenset({Role.ADVISOR, Role.ADMIN}),
    "customer": frozenset({Role.CUSTOMER}),
    "admin": guard.ADMINS,
    "super_admin": frozenset({Role.SUPER_ADMIN}),
}

HOME_OF_ROLE = {
    Role.SUPER_ADMIN: routes.PLATFORM_TENANTS,
    Role.ADMIN: routes.ADMIN_USERS,
    Role.ADVISOR: routes.ADVISOR,
    Role.CUSTOMER: routes.CUSTOMER,
}


class SessionState(rx.State):
    """The session cookie and what the page shell shows about the signed-in user."""

    token: str = rx.Cookie("", name="consilio_session", same_site="strict", path="/")
    signed_in: bool = False
    display_name: str = ""
    role: str = ""
    page_access: str = "checking"

    def _refresh(self, tenant_id: int) -> sessions.SignedIn | None:
        try:
            with unit_of_work() as session:
                who = sessions.validate(session, self.token)
        except NotSignedIn:
            self.signed_in, self.display_name, self.role = False, "", ""
            return None
        if who.tenant_id != tenant_id:
            self.signed_in, self.display_name, self.role = False, "", ""
            return None
        self.signed_in, self.display_name, self.role = True, who.display_name, who.role.value
        return who

    @rx.event
    async def enter(self, roles_key: str):  # type: ignore[no-untyped-def]
        """on_load guard of a page: sign-in required and one of the page's roles.

        A visitor who is not signed in goes to the login page (and comes back afterwards);
        a signed-in user without the role sees the 403 view.
        """
        tenant = await self.get_state(TenantState)
        self.page_access = "checking"
        if not tenant.tenant_id:
            self.page_access = "denied"
            return None
        who = self._refresh(tenant.tenant_id)
        if who is None:
            return rx.redirect(tenant.href(routes.LOGIN, next=self.router.url.path))
        if who.role not in PAGE_ROLES.get(roles_key, frozenset()):
            self.page_access = "denied"
            return None
        self.page_access = "granted"
        return None

    @rx.event
    async def peek(self) -> None:
        """on_load of public pages: show the user menu when someone is signed in."""
        tenant = await self.get_state(TenantState)
        self._refresh(tenant.tenant_id)

    @rx.event
    async def go_home(self):  # type: ignore[no-untyped-def]
        """/home: send the user to the start page of their role."""
        tenant = await self.get_state(TenantState)
        who = self._refresh(tenant.tenant_id)
        if who is None:
            return rx.redirect(tenant.href(routes.LOGIN))
        return rx.redirect(tenant.href(HOME_OF_ROLE[who.role]))

    @rx.event
    async def logout(self):  # type: ignore[no-untyped-def]
        """End the session on the server and forget the cookie."""
        tenant = await self.get_state(TenantState)
        if self.token:
            with unit_of_work() as session:
                auth.logout(session, self.token)
        self.token = ""
        self.signed_in, self.display_name, self.role = False, "", ""
        self.page_access = "checking"
        locale = await self.get_state(LocaleState)
        return [
            rx.remove_cookie("consilio_session"),
            rx.toast.info(locale.text("login.signed_out")),
            rx.redirect(tenant.href(routes.LOGIN)),
        ]

    def start(self, token: str, who_name: str, role: Role) -> None:
        """Remember a fresh session (login) in this browser."""
        self.token = token
        self.signed_in, self.display_name, self.role = True, who_name, role.value
