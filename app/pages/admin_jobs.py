"""Admin: background jobs that failed for good (e.g. undeliverable mail)."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout
from components.forms import card
from components.record_list import Column, record_list
from state.admin_audit import AdminJobsState
from state.locale import t


def admin_jobs() -> rx.Component:
    """The failures table (cards on a phone)."""
    return protected(
        title("jobs.title"),
        rx.vstack(
            error_callout(AdminJobsState.error),
            card(
                t("jobs.title"),
                rx.text(t("jobs.help"), size="2", color_scheme="gray"),
                record_list(
                    AdminJobsState.failures,
                    [
                        Column(t("jobs.failed_at"), lambda f: rx.text(f["failed_at"])),
                        Column(
                            t("jobs.actor"),
                            lambda f: rx.code(
                                f["actor"] + "(" + f["args"] + ")",
                                style={"wordBreak": "break-all"},
                            ),
                        ),
                        Column(t("jobs.error"), lambda f: rx.text(f["error"]), heading=True),
                    ],
                    name="jobs",
                    empty=t("jobs.empty"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminJobsState.load)
