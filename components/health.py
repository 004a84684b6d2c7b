"""The platform health page's lines: what was checked, its status and what to do."""

from __future__ import annotations

import dataclasses

import reflex as rx

T = rx.Var[str]

LOOK = {"ok": ("circle_check", "green"), "warn": ("triangle_alert", "amber")}


@dataclasses.dataclass(frozen=True)
class Finding:
    """One finding as the page shows it (translated)."""

    check: T
    status: T
    label: T
    status_text: T
    text: T


def _icon(name: str, tone: str) -> rx.Component:
    return rx.icon(name, size=22, color=f"var(--{tone}-10)", aria_hidden="true", flex_shrink="0")


def finding_line(finding: Finding) -> rx.Component:
    """Icon, name and status badge, the explanation below."""
    color = rx.match(finding.status, ("ok", "green"), ("warn", "amber"), "red")
    return rx.el.li(
        rx.hstack(
            rx.match(
                finding.status,
                *[(name, _icon(icon, tone)) for name, (icon, tone) in LOOK.items()],
                _icon("circle_x", "red"),
            ),
            rx.vstack(
                rx.hstack(
                    rx.heading(finding.label, size="3", as_="h2"),
                    rx.badge(finding.status_text, color_scheme=color),  # type: ignore[arg-type]
                    align="center",
                    wrap="wrap",
                ),
                rx.text(finding.text, size="2", style={"overflowWrap": "anywhere"}),
                spacing="1",
                min_width="0",
            ),
            align="start",
            spacing="3",
        ),
        data_check=finding.check,
        data_status=finding.status,
        class_name="health-line",
    )
