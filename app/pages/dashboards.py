"""Start pages per role: advisor dashboard, customer home, and /home which redirects."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, page, protected
from components.feedback import empty_state, spinner_block
from state.locale import t
from state.session import SessionState


def _welcome() -> rx.Component:
    return rx.vstack(
        rx.text(t("dashboard.welcome"), color_scheme="gray", size="2"),
        rx.heading(SessionState.display_name, size="7", as_="h1"),
        spacing="1",
        margin_bottom="1em",
    )


def advisor_dashboard() -> rx.Component:
    """What an advisor starts the day with (capabilities still to come are labelled empty)."""
    return protected(
        _welcome(),
        rx.grid(
            empty_state(
                "calendar_days", t("advisor.appointments"), t("advisor.appointments_empty")
            ),
            empty_state("video", t("advisor.meetings"), t("advisor.meetings_empty")),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


def customer_home() -> rx.Component:
    """A customer's start page."""
    return protected(
        _welcome(),
        rx.grid(
            empty_state(
                "calendar_days", t("customer.appointments"), t("customer.appointments_empty")
            ),
            empty_state("file_text", t("customer.documents"), t("customer.documents_empty")),
            empty_state("message_square", t("customer.messages"), t("customer.messages_empty")),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
    )


def home() -> rx.Component:
    """Redirects to the role's start page."""
    return page(spinner_block(t("app.loading")))


ADVISOR_ON_LOAD = on_load("advisor")
CUSTOMER_ON_LOAD = on_load("customer")
HOME_ON_LOAD = on_load(None, SessionState.go_home)
