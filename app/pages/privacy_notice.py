"""The platform's default privacy notice for meeting guests, shown in the tenant's look.

Tenants without a notice of their own may adopt it (admin meeting settings); it names the
tenant as the controller. A tenant with its own notice gets a link to that one here; one
that has not adopted the default yet (its admins read it here first) says so above it.
"""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, page
from app.services.privacy_notice import PLATFORM_NOTICE
from state.locale import t
from state.tenant import TenantState

SECTIONS = ("data", "purpose", "recipients", "retention", "rights")


def _section(name: str) -> rx.Component:
    return rx.vstack(
        rx.heading(t(f"privacy_notice.{name}_heading"), size="4", as_="h2"),
        rx.text(t(f"privacy_notice.{name}_text"), size="3"),
        spacing="2",
        width="100%",
    )


def _default_notice() -> rx.Component:
    return rx.vstack(
        rx.text(t("privacy_notice.intro"), size="3"),
        rx.vstack(
            rx.heading(t("privacy_notice.controller_heading"), size="4", as_="h2"),
            rx.text(t("privacy_notice.controller_text"), size="3"),
            rx.text(TenantState.name, weight="bold", size="3", id="privacy-controller"),
            spacing="2",
            width="100%",
        ),
        *[_section(name) for name in SECTIONS],
        rx.text(t("privacy_notice.version"), " ", PLATFORM_NOTICE, size="1", color_scheme="gray"),
        spacing="5",
        width="100%",
    )


def privacy_notice() -> rx.Component:
    """The tenant's own notice (a link), else the default notice (marked as not adopted
    while the tenant has not adopted it)."""
    return page(
        rx.vstack(
            rx.heading(t("privacy_notice.title"), size="7", as_="h1", id="privacy-notice"),
            rx.cond(
                TenantState.privacy_url != "",
                rx.vstack(
                    rx.text(t("privacy_notice.own"), size="3"),
                    rx.link(
                        t("privacy_notice.own_link"),
                        href=TenantState.privacy_url,
                        is_external=True,
                        id="privacy-own-link",
                    ),
                ),
                rx.vstack(
                    rx.cond(
                        TenantState.privacy_href == "",
                        rx.callout(
                            t("privacy_notice.not_adopted"),
                            icon="info",
                            id="privacy-not-adopted",
                            width="100%",
                        ),
                    ),
                    _default_notice(),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            max_width="46em",
            width="100%",
        )
    )


ON_LOAD = on_load(None)
