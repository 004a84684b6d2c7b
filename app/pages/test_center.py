"""The test center: a public page that checks browser, devices and network for a meeting."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, page, title
from app.pages.meeting_sections import devices
from app.services.test_center import SPEAKER
from components.feedback import error_callout
from components.meeting import bridge
from components.test_center import (
    ResultLine,
    camera_view,
    level_meter,
    overall_callout,
    progress_bar,
    result_line,
    test_scripts,
)
from state.locale import t
from state.test_center import Row, TestCenterState

COLLECT_ID = "test-center-collect"


def _speaker_answer() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("volume_2", size=16),
            t("test.play_sound"),
            on_click=TestCenterState.play_sound,
            variant="soft",
            id="test-center-play",
        ),
        rx.button(
            t("test.heard_yes"),
            on_click=TestCenterState.speaker_heard(True),
            variant="outline",
            color_scheme="green",
            id="test-center-heard",
        ),
        rx.button(
            t("test.heard_no"),
            on_click=TestCenterState.speaker_heard(False),
            variant="outline",
            color_scheme="red",
            id="test-center-not-heard",
        ),
        wrap="wrap",
        spacing="2",
        padding_top="0.25em",
    )


def _line(row: rx.Var[Row]) -> rx.Component:
    line = ResultLine(
        check=row["check"],
        status=row["status"],
        label=t(row["label"]),
        status_text=t("test.status_" + row["status"]),
        figure=row["figure"],
        advice=rx.cond(row["advice"] != "", t(row["advice"]), "").to(str),
    )
    return result_line(line, rx.cond(row["check"] == SPEAKER, _speaker_answer()))


def _equipment() -> rx.Component:
    return rx.card(
        rx.vstack(
            camera_view(t("test.camera_view")),
            level_meter(t("test.level")),
            devices(),
            rx.button(
                rx.cond(TestCenterState.running, rx.spinner(size="2"), rx.icon("play", size=16)),
                rx.cond(TestCenterState.overall == "pending", t("test.start"), t("test.again")),
                on_click=TestCenterState.start,
                disabled=TestCenterState.running,
                size="3",
                width="100%",
                id="test-center-start",
            ),
            progress_bar(t("test.network_progress"), TestCenterState.running),
            error_callout(TestCenterState.error),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _results() -> rx.Component:
    return rx.vstack(
        overall_callout(
            TestCenterState.overall,
            {
                name: t(f"test.overall_{name}")
                for name in ("pass", "warn", "fail", "partial", "awaiting")
            },
            (
                t("test.overall_checking")
                + " "
                + TestCenterState.finished.to_string()
                + " / "
                + TestCenterState.total.to_string()
            ).to(str),
        ),
        rx.el.ul(
            rx.foreach(TestCenterState.rows, _line),
            class_name="test-lines",
            aria_label=t("test.results"),
            aria_busy=TestCenterState.running,
        ),
        rx.vstack(
            rx.button(
                rx.icon("clipboard_copy", size=16),
                t("test.copy_report"),
                on_click=TestCenterState.make_report,
                variant="soft",
                id="test-center-report-button",
            ),
            rx.cond(
                TestCenterState.report != "",
                rx.vstack(
                    rx.text(t("test.report_copied"), size="2", role="status"),
                    rx.el.label(t("test.report"), html_for="test-center-report"),
                    rx.text_area(
                        value=TestCenterState.report,
                        read_only=True,
                        id="test-center-report",
                        rows="12",
                        width="100%",
                        font_family="monospace",
                        size="1",
                    ),
                    width="100%",
                    spacing="1",
                ),
            ),
            width="100%",
            spacing="2",
        ),
        spacing="3",
        width="100%",
    )


def test_center() -> rx.Component:
    """Equipment (camera, level, devices, start) beside the results, stacked on phones."""
    return page(
        test_scripts(),
        bridge({COLLECT_ID: TestCenterState.collect}),
        title("test.title"),
        rx.text(t("test.intro"), color_scheme="gray", margin_bottom="1em", max_width="46em"),
        rx.grid(
            _equipment(),
            _results(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="5",
            width="100%",
        ),
    )


ON_LOAD = on_load(None, TestCenterState.prepare)
