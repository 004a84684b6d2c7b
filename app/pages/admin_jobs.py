"""Admin: background jobs that failed for good (e.g. undeliverable mail)."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout
from components.forms import card
from state.admin_audit import AdminJobsState
from state.locale import t


def admin_jobs() -> rx.Component:
    """The failures table."""
    return protected(
        title("jobs.title"),
        rx.vstack(
            error_callout(AdminJobsState.error),
            card(
                t("jobs.title"),
                rx.text(t("jobs.help"), size="2", color_scheme="gray"),
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(t("jobs.failed_at")),
                                rx.table.column_header_cell(t("jobs.actor")),
                                rx.table.column_header_cell(t("jobs.error")),
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                AdminJobsState.failures,
                                lambda f: rx.table.row(
                                    rx.table.cell(f["failed_at"]),
                                    rx.table.cell(rx.code(f["actor"] + "(" + f["args"] + ")")),
                                    rx.table.cell(f["error"]),
                                ),
                            )
                        ),
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                rx.cond(
                    AdminJobsState.failures.length() == 0,
                    rx.text(t("jobs.empty"), color_scheme="gray"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminJobsState.load)
