"""Start pages per role: advisor dashboard, customer home, and /home which redirects."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, page, protected
from components.feedback import empty_state, error_callout, spinner_block
from components.forms import card
from state.advisor_meetings import AdvisorMeetingsState
from state.locale import t
from state.session import SessionState


def _welcome() -> rx.Component:
    return rx.vstack(
        rx.text(t("dashboard.welcome"), color_scheme="gray", size="2"),
        rx.heading(SessionState.display_name, size="7", as_="h1"),
        spacing="1",
        margin_bottom="1em",
    )


def _meetings_card() -> rx.Component:
    return card(
        t("advisor.meetings"),
        rx.form(
            rx.hstack(
                rx.input(
                    value=AdvisorMeetingsState.title,
                    on_change=AdvisorMeetingsState.set_title,
                    placeholder=t("meeting.title_placeholder"),
                    aria_label=t("meeting.title_label"),
                    id="meeting-title",
                    name="meeting-title",
                    flex="1",
                    max_length=200,
                ),
                rx.button(
                    rx.icon("video"), t("advisor.start_meeting"), type="submit", id="meeting-start"
                ),
                width="100%",
                wrap="wrap",
            ),
            on_submit=AdvisorMeetingsState.start,
            width="100%",
        ),
        error_callout(AdvisorMeetingsState.error),
        rx.cond(
            AdvisorMeetingsState.rooms.length() > 0,
            rx.vstack(
                rx.foreach(
                    AdvisorMeetingsState.rooms,
                    lambda m: rx.hstack(
                        rx.link(m["title"], href=m["href"], weight="medium"),
                        rx.text(m["started"], size="1", color_scheme="gray"),
                        justify="between",
                        width="100%",
                    ),
                ),
                width="100%",
                spacing="2",
            ),
            rx.text(t("advisor.meetings_empty"), size="2", color_scheme="gray"),
        ),
    )


def advisor_dashboard() -> rx.Component:
    """What an advisor starts the day with (capabilities still to come are labelled empty)."""
    return protected(
        _welcome(),
        rx.grid(
            empty_state(
                "calendar_days", t("advisor.appointments"), t("advisor.appointments_empty")
            ),
            _meetings_card(),
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


ADVISOR_ON_LOAD = on_load("advisor", AdvisorMeetingsState.load)
CUSTOMER_ON_LOAD = on_load("customer")
HOME_ON_LOAD = on_load(None, SessionState.go_home)
