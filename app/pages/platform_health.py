"""Super admin: the platform's health (what its operator must fix; visitors never see it)."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout
from components.health import Finding, finding_line
from state.locale import t
from state.platform_health import PlatformHealthState


def _line(row: rx.Var[dict[str, str]]) -> rx.Component:
    return finding_line(
        Finding(
            check=row["check"],
            status=row["status"],
            label=t("health.check_" + row["check"]),
            status_text=t("health.status_" + row["status"]),
            text=row["text"],
        )
    )


def platform_health() -> rx.Component:
    """Database, video servers and TURN relay, each asked when the page opens."""
    return protected(
        title("health.title"),
        rx.vstack(
            rx.text(t("health.intro"), color_scheme="gray", max_width="46em"),
            error_callout(PlatformHealthState.error),
            rx.el.ul(
                rx.foreach(PlatformHealthState.findings, _line),
                class_name="health-lines",
                aria_label=t("health.title"),
            ),
            rx.button(
                rx.icon("refresh_cw", size=16),
                t("health.refresh"),
                on_click=PlatformHealthState.load,
                variant="soft",
                id="health-refresh",
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("super_admin", PlatformHealthState.load)
