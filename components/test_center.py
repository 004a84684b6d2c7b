"""The test center's pieces: result lines, the overall verdict, camera and microphone views.

Pure functions of values and handlers; app/pages/test_center.py binds them to the state.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

T = rx.Var[str]

STATUS_ICONS = {
    "pass": ("circle_check", "var(--green-10)"),
    "warn": ("triangle_alert", "var(--amber-10)"),
    "fail": ("circle_x", "var(--red-10)"),
    "skipped": ("circle_minus", "var(--gray-9)"),
    "pending": ("circle_dashed", "var(--gray-9)"),
}
# The callout over all checks: its icon and colour per overall state (no callout before a run).
OVERALL_LOOK = {
    "pass": ("circle_check", "green"),
    "warn": ("triangle_alert", "amber"),
    "fail": ("circle_x", "red"),
    "partial": ("circle_minus", "gray"),
    "awaiting": ("volume_2", "blue"),
}


def test_scripts() -> rx.Component:
    """Device choice and the measurements (assets/devices.js, assets/test_center.js)."""
    return rx.fragment(rx.script(src="/devices.js"), rx.script(src="/test_center.js"))


def status_icon(status: T) -> rx.Component:
    """The verdict as an icon, a spinner while the check runs (the words next to it carry
    the meaning for screen readers)."""
    return rx.match(
        status,
        (
            "running",
            rx.center(rx.spinner(size="3"), aria_hidden="true", width="22px", flex_shrink="0"),
        ),
        *[
            (name, rx.icon(icon, color=color, size=22, aria_hidden="true", flex_shrink="0"))
            for name, (icon, color) in STATUS_ICONS.items()
        ],
        rx.icon("circle_dashed", size=22, aria_hidden="true"),
    )


@dataclasses.dataclass(frozen=True)
class ResultLine:
    """One check as the page shows it: translated label, status word, figure, advice."""

    check: T
    status: T
    label: T
    status_text: T
    figure: T
    advice: T


def result_line(line: ResultLine, extra: rx.Component | None = None) -> rx.Component:
    """A check's line: icon, name, figure and verdict; advice below when there is any."""
    return rx.el.li(
        rx.hstack(
            status_icon(line.status),
            rx.vstack(
                rx.hstack(
                    rx.text(line.label, weight="medium"),
                    rx.text(line.figure, color_scheme="gray", size="2"),
                    rx.spacer(),
                    rx.badge(
                        line.status_text,
                        color_scheme=rx.match(  # type: ignore[arg-type]
                            line.status,
                            ("pass", "green"),
                            ("warn", "amber"),
                            ("fail", "red"),
                            ("running", "blue"),
                            "gray",
                        ),
                    ),
                    width="100%",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(line.advice != "", rx.text(line.advice, size="2")),
                extra or rx.fragment(),
                spacing="1",
                width="100%",
            ),
            align="start",
            spacing="3",
            width="100%",
        ),
        data_check=line.check,
        data_status=line.status,
        class_name="test-line",
    )


def overall_callout(status: T, texts: dict[str, T], checking: T) -> rx.Component:
    """What the page says over all checks: "checking" with a spinner and the count of
    finished checks while any runs, then the verdict (nothing before the first run).

    Args:
        status: the overall state (test_center service: checking, awaiting, pass ...).
        texts: the message per state of OVERALL_LOOK.
        checking: the "checking …" message, with how many checks have finished.
    """
    # One live region that stays in the page: screen readers announce each change in it.
    return rx.box(
        rx.match(
            status,
            (
                "checking",
                rx.callout.root(
                    rx.callout.icon(rx.spinner(size="2")),
                    rx.callout.text(checking),
                    color_scheme="blue",
                    id="test-center-overall",
                    data_overall=status,
                    width="100%",
                ),
            ),
            *[
                (
                    name,
                    rx.callout(
                        texts[name],
                        icon=icon,
                        color_scheme=color,  # type: ignore[arg-type]
                        id="test-center-overall",
                        data_overall=status,
                        width="100%",
                    ),
                )
                for name, (icon, color) in OVERALL_LOOK.items()
            ],
            rx.fragment(),
        ),
        role="status",
        width="100%",
    )


def camera_view(label: T) -> rx.Component:
    """One's own camera once the camera check has run."""
    return rx.el.video(
        id="test-center-video",
        auto_play=True,
        muted=True,
        plays_inline=True,
        aria_label=label,
        class_name="test-center-video",
    )


def level_meter(label: T) -> rx.Component:
    """The microphone's level while the check listens."""
    return rx.vstack(
        rx.el.label(label, html_for="test-center-level", style={"fontSize": "0.9em"}),
        rx.el.meter(id="test-center-level", min=0, max=1, value=0, low=0.02, optimum=0.3),
        spacing="1",
        width="100%",
    )


def progress_bar(label: T, visible: rx.Var[bool]) -> rx.Component:
    """The network check's progress (moved by the measuring script)."""
    return rx.cond(
        visible,
        rx.vstack(
            rx.el.label(label, html_for="test-center-progress", style={"fontSize": "0.9em"}),
            rx.el.progress(id="test-center-progress", max=100, value=0),
            spacing="1",
            width="100%",
        ),
    )
