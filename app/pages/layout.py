"""Binds the page shell to the tenant, session and language states, per role."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.settings import get_settings
from components.document import document_language
from components.feedback import spinner_block
from components.not_found import lost_view, way_back
from components.shell import Brand, FooterLinks, LanguageChoice, NavLink, UserMenu, nav_bar, shell
from state.language import LanguageState
from state.locale import LocaleState, t
from state.session import SessionState
from state.tenant import TenantState


def href(page: str) -> rx.Var[str]:
    """A tenant page's path as seen in the browser (prefix known only at runtime)."""
    return (TenantState.prefix + (page if page != "/" else "/")).to(str)


ROLE_LINKS: dict[str, list[tuple[str, str, str]]] = {
    "super_admin": [
        ("nav.tenants", routes.PLATFORM_TENANTS, "building_2"),
        ("nav.health", routes.PLATFORM_HEALTH, "heart_pulse"),
        # The platform's dev outbox exists only on a developer's machine.
        *([("nav.outbox", routes.PLATFORM_OUTBOX, "inbox")] if get_settings().dev_mode else []),
    ],
    "admin": [
        ("nav.users", routes.ADMIN_USERS, "users"),
        ("nav.teams", routes.ADMIN_TEAMS, "network"),
        ("nav.branding", routes.ADMIN_BRANDING, "palette"),
        ("nav.mail", routes.ADMIN_MAIL, "mail"),
        ("nav.audit", routes.ADMIN_AUDIT, "shield_check"),
        ("nav.jobs", routes.ADMIN_JOBS, "triangle_alert"),
    ],
    "advisor": [("nav.dashboard", routes.ADVISOR, "layout_dashboard")],
    "customer": [("nav.home", routes.CUSTOMER, "house")],
}


def _links(role: str) -> list[NavLink]:
    return [NavLink(t(key), href(page), icon) for key, page, icon in ROLE_LINKS[role]]


def _role_nav(*, vertical: bool) -> rx.Component:
    return rx.match(
        SessionState.role,
        *[(role, nav_bar(_links(role), vertical=vertical)) for role in ROLE_LINKS],
        rx.fragment(),
    )


def tab_title(key: str) -> rx.Var[str]:
    """The browser tab's title: the page and the tenant ("Sign in · Bank am See"), in the
    visitor's language; the tenant's name alone for ``key`` "" (its landing page)."""
    if not key:
        return TenantState.name.to(str)
    return (t(key) + " · " + TenantState.name).to(str)


def page(*content: rx.Component) -> rx.Component:
    """Wrap page content in the branded shell (where no active tenant is, the platform's
    shell with the not-found view instead), and give the document the visitor's language."""
    return rx.fragment(document_language(LocaleState.lang), _branded(*content))


def _branded(*content: rx.Component) -> rx.Component:
    return shell(
        rx.cond(TenantState.found, rx.fragment(*content), _tenant_missing_view()),
        brand=Brand(
            TenantState.name,
            TenantState.logo_url,
            TenantState.favicon_url,
            TenantState.primary_color,
            TenantState.accent_color,
            TenantState.on_primary,
            href(routes.LANDING),
        ),
        links=_role_nav(vertical=False),
        mobile_links=_role_nav(vertical=True),
        language=LanguageChoice(
            LocaleState.lang, TenantState.languages, t("common.language"), LanguageState.choose
        ),
        user=UserMenu(
            SessionState.signed_in,
            SessionState.display_name,
            LocaleState.m["role." + SessionState.role].to(str),
            t("nav.account"),
            href(routes.ACCOUNT),
            t("nav.logout"),
            SessionState.logout,
            t("nav.login"),
            href(routes.LOGIN),
        ),
        footer=FooterLinks(
            t("footer.imprint"),
            TenantState.imprint_url,
            t("footer.privacy"),
            TenantState.privacy_href,
            t("footer.terms"),
            TenantState.terms_url,
        ),
        skip_label=t("nav.skip"),
        menu_label=t("nav.menu"),
    )


def _tenant_missing_view() -> rx.Component:
    """No active tenant at this address (unknown, or suspended): say so, and the way home."""
    return lost_view(
        "building_2",
        t(TenantState.missing + "_title"),
        t(TenantState.missing),
        way_back(t("notfound.back_home"), "/", "house", link_id="tenant-missing-home"),
        view_id="tenant-missing",
    )


def protected(*content: rx.Component) -> rx.Component:
    """Page content shown only after the on_load guard granted access; 403 view otherwise."""
    return page(
        rx.match(
            SessionState.page_access,
            ("granted", rx.fragment(*content)),
            ("denied", forbidden_view()),
            spinner_block(t("app.loading")),
        )
    )


def forbidden_view() -> rx.Component:
    """What a signed-in user without the role sees (HTTP-403 equivalent)."""
    return rx.center(
        rx.vstack(
            rx.icon("shield_x", size=48, color="var(--red-9)"),
            rx.heading(t("forbidden.title"), size="6", as_="h1", id="forbidden"),
            rx.text(t("forbidden.text"), color_scheme="gray"),
            rx.link(t("common.back_home"), href=href(routes.HOME)),
            align="center",
            spacing="3",
        ),
        padding_top="10vh",
    )


def title(key: str) -> rx.Component:
    """The page's main heading."""
    return rx.heading(t(key), size="7", as_="h1", margin_bottom="0.5em")


def on_load(roles_key: str | None, *handlers: object) -> list[object]:
    """on_load chain: resolve tenant, check access (if ``roles_key``), then load data."""
    first: list[object] = [TenantState.load]
    first.append(SessionState.enter(roles_key) if roles_key else SessionState.peek)
    return first + list(handlers)
