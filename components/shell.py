"""The page shell: branded header with navigation, language choice and user menu; footer.

Everything it shows comes in as vars, so one shell serves every role and tenant. The
tenant's colours become CSS variables (--brand, --brand-accent, --on-brand) on the theme
root; assets/styles.css derives Radix's accent scale from them, so buttons, badges, focus
rings and menus (also those rendered in portals) take the tenant's colour.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx


@dataclasses.dataclass(frozen=True)
class Brand:
    """The tenant's look, as vars."""

    name: rx.Var[str]
    logo_url: rx.Var[str]
    favicon_url: rx.Var[str]
    primary: rx.Var[str]
    accent: rx.Var[str]
    on_primary: rx.Var[str]
    home_href: rx.Var[str]


@dataclasses.dataclass(frozen=True)
class NavLink:
    """One navigation entry."""

    label: rx.Var[str]
    href: rx.Var[str]
    icon: str


@dataclasses.dataclass(frozen=True)
class LanguageChoice:
    """The language picker: current value, offered codes, label, handler."""

    value: rx.Var[str]
    options: rx.Var[list[str]]
    label: rx.Var[str]
    on_change: Any


@dataclasses.dataclass(frozen=True)
class UserMenu:
    """Who is signed in and how to sign out (or in)."""

    signed_in: rx.Var[bool]
    name: rx.Var[str]
    role_label: rx.Var[str]
    account_label: rx.Var[str]
    account_href: rx.Var[str]
    logout_label: rx.Var[str]
    on_logout: Any
    login_label: rx.Var[str]
    login_href: rx.Var[str]


@dataclasses.dataclass(frozen=True)
class FooterLinks:
    """Legal links of the tenant."""

    imprint_label: rx.Var[str]
    imprint_href: rx.Var[str]
    privacy_label: rx.Var[str]
    privacy_href: rx.Var[str]
    terms_label: rx.Var[str]
    terms_href: rx.Var[str]


def _logo(brand: Brand) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.cond(
                brand.logo_url != "",
                rx.image(src=brand.logo_url, alt=brand.name, height="32px", max_width="160px"),
                rx.box(
                    rx.icon("handshake", size=22, color="white"),
                    background=brand.accent,
                    border_radius="8px",
                    padding="5px",
                    aria_hidden="true",
                ),
            ),
            # No text-trim here: with the ellipsis' overflow:hidden it cut off descenders.
            rx.text(
                brand.name,
                weight="bold",
                size=rx.breakpoints(initial="3", xs="4"),  # type: ignore[arg-type]
                color="var(--on-brand)",
                class_name="brand-name",
                id="brand-name",
            ),
            align="center",
            spacing="2",
            min_width="0",
        ),
        href=brand.home_href,
        underline="none",
        aria_label=brand.name,
        min_width="0",
    )


def _nav_links(links: list[NavLink], *, vertical: bool) -> rx.Component:
    items = [
        rx.link(
            rx.hstack(
                rx.icon(link.icon, size=16), rx.text(link.label), align="center", spacing="1"
            ),
            href=link.href,
            color="var(--on-brand)" if not vertical else "inherit",
            underline="hover",
            size="2",
            weight="medium",
        )
        for link in links
    ]
    if vertical:
        return rx.vstack(*items, spacing="4", align="start")
    return rx.hstack(*items, spacing="4", align="center", wrap="wrap")


def language_picker(choice: LanguageChoice) -> rx.Component:
    """The language select of the header (also the meeting room's frame)."""
    return rx.select.root(
        rx.select.trigger(
            aria_label=choice.label, variant="soft", color_scheme="gray", radius="full"
        ),
        rx.select.content(
            rx.foreach(choice.options, lambda code: rx.select.item(code.upper(), value=code)),
        ),
        value=choice.value,
        on_change=choice.on_change,
        size="1",
    )


def _user_menu(user: UserMenu) -> rx.Component:
    return rx.cond(
        user.signed_in,
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("circle_user", size=16),
                    rx.text(user.name, display=["none", "inline"]),
                    variant="soft",
                    color_scheme="gray",
                    radius="full",
                    aria_label=user.name,
                ),
            ),
            rx.menu.content(
                rx.box(
                    rx.text(user.role_label, size="1", color_scheme="gray"),
                    padding_x="0.75em",
                    padding_y="0.25em",
                ),
                rx.menu.item(rx.link(user.account_label, href=user.account_href, underline="none")),
                rx.menu.separator(),
                rx.menu.item(user.logout_label, on_select=user.on_logout, color="red", id="logout"),
            ),
        ),
        # A link that looks like a button (a button inside a link is two controls in one);
        # its label may take two lines on a narrow phone rather than spill out of it.
        rx.link(
            rx.icon("log_in", size=16, aria_hidden="true", flex_shrink="0"),
            rx.el.span(user.login_label),
            href=user.login_href,
            underline="none",
            color="var(--on-brand)",
            class_name="header-sign-in",
            id="header-sign-in",
        ),
    )


def _drawer(mobile_links: Any, menu_label: rx.Var[str]) -> rx.Component:
    """Phones and tablets: the role's links in a drawer from the left."""
    return rx.box(
        rx.drawer.root(
            rx.drawer.trigger(
                rx.icon_button(
                    rx.icon("menu"),
                    variant="soft",
                    color_scheme="gray",
                    radius="full",
                    aria_label=menu_label,
                )
            ),
            rx.drawer.overlay(z_index="50"),
            rx.drawer.portal(
                rx.drawer.content(
                    rx.vstack(
                        rx.drawer.close(
                            rx.icon_button(rx.icon("x"), variant="ghost", aria_label=menu_label)
                        ),
                        mobile_links,
                        padding="1.5em",
                        spacing="4",
                    ),
                    background="var(--color-panel-solid)",
                    width="75vw",
                    max_width="320px",
                    height="100%",
                    top="0",
                    left="0",
                    z_index="60",
                )
            ),
            direction="left",
        ),
        display=["block", "block", "none"],
    )


def shell(
    *content: rx.Component,
    brand: Brand,
    links: rx.Var[Any] | Any,
    mobile_links: Any,
    language: LanguageChoice,
    user: UserMenu,
    footer: FooterLinks,
    skip_label: rx.Var[str],
    menu_label: rx.Var[str],
) -> rx.Component:
    """A full page: header (logo, nav, language, user), main content, footer.

    ``links`` and ``mobile_links`` are components built with :func:`nav_bar` for the
    caller's role (usually an ``rx.match`` on the role).
    """
    header = rx.el.header(
        rx.hstack(
            _logo(brand),
            rx.spacer(),
            language_picker(language),
            _user_menu(user),
            # The menu holds the role's links: nobody signed in, nothing to show.
            rx.cond(user.signed_in, _drawer(mobile_links, menu_label)),
            align="center",
            spacing=rx.breakpoints(initial="2", sm="3"),  # type: ignore[arg-type]
            max_width="1200px",
            margin_x="auto",
            padding_x=rx.breakpoints(initial="0.75em", sm="1em"),
            padding_y="0.75em",
        ),
        # Desktop: the role's links in a row of their own, so long (translated) labels never
        # squeeze the logo or wrap; phones and tablets use the drawer above.
        # Nobody signed in: no links, so no empty row either.
        rx.cond(
            user.signed_in,
            rx.el.nav(
                rx.box(
                    links, max_width="1200px", margin_x="auto", padding_x="1em", padding_y="0.5em"
                ),
                display=["none", "none", "block"],
                border_top="1px solid color-mix(in srgb, var(--on-brand) 20%, transparent)",
                aria_label=menu_label,
            ),
        ),
        background=brand.primary,
        position="sticky",
        top="0",
        z_index="10",
    )
    footer_bar = rx.el.footer(
        rx.hstack(
            rx.text(brand.name, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.cond(
                footer.imprint_href != "",
                rx.link(footer.imprint_label, href=footer.imprint_href, size="1", is_external=True),
            ),
            rx.cond(
                footer.privacy_href != "",
                rx.link(footer.privacy_label, href=footer.privacy_href, size="1", is_external=True),
            ),
            rx.cond(
                footer.terms_href != "",
                rx.link(footer.terms_label, href=footer.terms_href, size="1", is_external=True),
            ),
            spacing="4",
            max_width="1200px",
            margin_x="auto",
            padding="1em",
            wrap="wrap",
        ),
        border_top="1px solid var(--gray-5)",
        margin_top="3em",
    )
    return rx.box(
        rx.link(skip_label, href="#main", class_name="skip-link"),
        header,
        rx.el.main(
            rx.box(
                *content,
                max_width="1200px",
                margin_x="auto",
                padding_x=["0.75em", "1em", "1.5em"],
                padding_y="1.5em",
                width="100%",
            ),
            id="main",
            tab_index=-1,
        ),
        footer_bar,
        # React hoists this <link> into <head>: the tab shows the tenant's icon, else ours.
        rx.el.link(
            rel="icon",
            href=rx.cond(brand.favicon_url != "", brand.favicon_url, "/favicon.ico"),
        ),
        rx.el.style(
            f".radix-themes{{--brand:{brand.primary};--brand-accent:{brand.accent};"
            f"--on-brand:{brand.on_primary}}}"
        ),
        min_height="100vh",
    )


def nav_bar(links: list[NavLink], *, vertical: bool = False) -> rx.Component:
    """The links of one role, horizontal (desktop) or vertical (mobile drawer)."""
    return _nav_links(links, vertical=vertical)
