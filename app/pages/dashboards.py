"""Start pages per role: advisor dashboard, customer home, and /home which redirects."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, on_load, page, protected
from components.feedback import empty_state, error_callout, spinner_block
from components.forms import card
from state.advisor_meetings import AdvisorMeetingsState
from state.customer_home import CustomerHomeState
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


def _open_meeting(m: rx.Var) -> rx.Component:
    """One open meeting the customer was invited to, with the way in."""
    return rx.flex(
        rx.vstack(
            rx.text(m["title"], weight="bold", size="3"),
            rx.hstack(
                rx.icon("user_round", size=14), rx.text(m["advisor"], size="2"), align="center"
            ),
            rx.text(t("customer.open_since"), " ", m["when"], size="1", color_scheme="gray"),
            spacing="1",
            min_width="0",
        ),
        rx.cond(
            m["joinable"] != "",
            rx.button(
                rx.icon("video", size=16),
                t("customer.join"),
                on_click=CustomerHomeState.join(m["room"]),
                aria_label=t("customer.join") + ": " + m["title"],
                size="3",
                class_name="customer-join",
            ),
            rx.text(t("customer.no_longer_invited"), size="2", color_scheme="gray"),
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        justify="between",
        align=rx.breakpoints(initial="start", sm="center"),
        gap="3",
        width="100%",
        padding="0.75em",
        border="1px solid var(--gray-5)",
        border_radius="var(--radius-3)",
    )


def _past_meeting(m: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(m["title"], weight="medium", size="2"),
        rx.text(m["advisor"], " · ", m["when"], size="1", color_scheme="gray"),
        class_name="customer-past",
    )


def _customer_meetings() -> rx.Component:
    """Open meetings (to join now) and past ones, newest first."""
    return card(
        t("customer.meetings"),
        error_callout(CustomerHomeState.error),
        rx.cond(
            CustomerHomeState.loaded | (CustomerHomeState.error != ""),
            _customer_meeting_lists(),
            spinner_block(t("app.loading")),
        ),
        id="customer-meetings",
    )


def _customer_meeting_lists() -> rx.Component:
    return rx.vstack(
        rx.heading(t("customer.meetings_open"), size="3", as_="h3"),
        rx.cond(
            CustomerHomeState.open_meetings.length() > 0,
            rx.vstack(rx.foreach(CustomerHomeState.open_meetings, _open_meeting), width="100%"),
            rx.text(t("customer.meetings_open_empty"), size="2", color_scheme="gray"),
        ),
        rx.heading(t("customer.meetings_past"), size="3", as_="h3", margin_top="0.5em"),
        rx.cond(
            CustomerHomeState.past_meetings.length() > 0,
            rx.el.ul(
                rx.foreach(CustomerHomeState.past_meetings, _past_meeting),
                style={
                    "listStyle": "none",
                    "padding": 0,
                    "margin": 0,
                    "display": "grid",
                    "gap": "0.6em",
                },
            ),
            rx.text(t("customer.meetings_past_empty"), size="2", color_scheme="gray"),
        ),
        spacing="3",
        width="100%",
    )


def _advisor_contact(a: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(a["name"], weight="bold", size="3"),
        rx.link(
            rx.hstack(rx.icon("mail", size=14), rx.text(a["email"]), align="center"),
            href="mailto:" + a["email"].to(str),
            size="2",
        ),
        spacing="1",
    )


def _customer_contacts() -> rx.Component:
    """The advisors who met the customer: whom to call or write to."""
    return card(
        t("customer.advisors"),
        rx.cond(
            CustomerHomeState.advisors.length() > 0,
            rx.vstack(rx.foreach(CustomerHomeState.advisors, _advisor_contact), spacing="3"),
            rx.text(t("customer.advisors_empty"), size="2", color_scheme="gray"),
        ),
        id="customer-advisors",
    )


def _device_check() -> rx.Component:
    return card(
        t("customer.test"),
        rx.text(t("customer.test_text"), size="2", color_scheme="gray"),
        rx.link(
            rx.hstack(rx.icon("activity", size=16), t("test.link"), align="center"),
            href=href(routes.TEST_CENTER),
            id="customer-test-center",
            size="2",
        ),
        id="customer-test",
    )


def customer_home() -> rx.Component:
    """A customer's start page: meetings to join and past ones, their contacts, the device
    check (what a customer can do today; booking and the portal are not built yet)."""
    return protected(
        _welcome(),
        rx.grid(
            _customer_meetings(),
            rx.vstack(_customer_contacts(), _device_check(), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="minmax(0, 3fr) minmax(0, 2fr)"),
            spacing="4",
            width="100%",
        ),
    )


def home() -> rx.Component:
    """Redirects to the role's start page."""
    return page(spinner_block(t("app.loading")))


ADVISOR_ON_LOAD = on_load("advisor", AdvisorMeetingsState.load)
CUSTOMER_ON_LOAD = on_load("customer", CustomerHomeState.load)
HOME_ON_LOAD = on_load(None, SessionState.go_home)
