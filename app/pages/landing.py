"""The tenant's public landing page."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, on_load, page
from state.locale import LocaleState, t
from state.tenant import TenantState


def _module_card(code: rx.Var[str]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon("circle_check", color="var(--brand-accent)"),
            rx.text(LocaleState.m["module." + code].to(str), weight="medium"),
            align="center",
        ),
        width="100%",
    )


def landing() -> rx.Component:
    """Hero with sign-in and the device check, and the services the tenant offers online
    (only modules that are switched on and built: app.services.tenants.branding_of)."""
    return page(
        rx.vstack(
            rx.box(
                rx.vstack(
                    rx.text(
                        TenantState.name,
                        size="5",
                        weight="bold",
                        color="var(--brand-accent)",
                        as_="p",
                    ),
                    rx.heading(t("landing.hero_title"), size="8", as_="h1"),
                    rx.text(
                        t("landing.hero_text"), size="4", color_scheme="gray", max_width="40em"
                    ),
                    rx.hstack(
                        rx.link(
                            rx.button(t("landing.sign_in"), size="4"),
                            href=href(routes.LOGIN),
                        ),
                        rx.link(
                            rx.button(
                                rx.icon("activity", size=18),
                                t("test.title"),
                                size="4",
                                variant="soft",
                            ),
                            href=href(routes.TEST_CENTER),
                        ),
                        spacing="3",
                        wrap="wrap",
                    ),
                    spacing="4",
                ),
                padding_y=["2em", "3em", "4em"],
            ),
            rx.cond(
                TenantState.modules.length() > 0,
                rx.vstack(
                    rx.heading(t("landing.services"), size="5", as_="h2"),
                    rx.grid(
                        rx.foreach(TenantState.modules, _module_card),
                        columns=rx.breakpoints(initial="1", sm="2", md="3"),
                        spacing="3",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                    id="landing-services",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )


ON_LOAD = on_load(None)
