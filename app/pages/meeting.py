"""The meeting page: join screen, lobby, the room itself (app/pages/meeting_room.py), and
what follows leaving, in the meeting's own frame (no site navigation, no sign-in)."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href
from app.pages.meeting_room import room, room_bar
from app.pages.meeting_sections import devices, feedback_card
from components.feedback import error_callout, spinner_block
from components.forms import labelled_switch
from components.meeting import media_scripts, preview_video
from components.meeting_frame import entry_box, meeting_frame
from components.shell import Brand, FooterLinks, LanguageChoice
from state.language import LanguageState
from state.locale import LocaleState, t
from state.meeting import MeetingState
from state.meeting_events import RoomEventsState
from state.meeting_media import MediaBridgeState
from state.tenant import TenantState


def _guest_entry() -> rx.Component:
    """A guest's name and consent to the privacy notice (asked once, before entering)."""
    return rx.vstack(
        rx.el.label(
            t("meeting.your_name"),
            html_for="meeting-name",
            style={"fontWeight": "500", "fontSize": "0.9em"},
        ),
        rx.input(
            id="meeting-name",
            name="meeting-name",
            value=MeetingState.guest_name,
            on_change=MeetingState.set_guest_name,
            auto_complete="name",
            max_length=80,
            width="100%",
            size="3",
            required=True,
        ),
        rx.hstack(
            rx.checkbox(
                id="meeting-consent",
                name="meeting-consent",
                checked=MeetingState.consent,
                on_change=MeetingState.set_consent,
            ),
            rx.el.label(
                t("meeting.consent"),
                " ",
                rx.link(
                    t("footer.privacy"),
                    href=MeetingState.privacy_href,
                    is_external=True,
                    id="meeting-privacy-notice",
                ),
                html_for="meeting-consent",
                style={"fontSize": "0.9em"},
            ),
            align="start",
        ),
        width="100%",
        spacing="2",
    )


def _media_defaults() -> rx.Component:
    """Enter with the microphone and the camera on or off."""
    return rx.hstack(
        labelled_switch(
            "meeting-mic-default",
            t("meeting.microphone"),
            MediaBridgeState.mic_on,
            MediaBridgeState.set_mic_default,
        ),
        labelled_switch(
            "meeting-cam-default",
            t("meeting.camera"),
            MediaBridgeState.cam_on,
            MediaBridgeState.set_cam_default,
        ),
        spacing="5",
        wrap="wrap",
    )


def _join_screen() -> rx.Component:
    """Before entering: the camera preview, devices, (for guests) name and consent."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.text(t("meeting.join_heading"), size="2", color_scheme="gray"),
                rx.heading(MeetingState.title, size="6", as_="h1"),
                preview_video(t("meeting.preview")),
                devices(),
                rx.cond(MeetingState.needs_consent, _guest_entry(), rx.fragment()),
                _media_defaults(),
                error_callout(MeetingState.error),
                rx.button(
                    rx.icon("video"), t("meeting.join"), type="submit", size="3", id="meeting-join"
                ),
                rx.link(
                    rx.hstack(rx.icon("activity", size=16), t("test.link"), align="center"),
                    href=href(routes.TEST_CENTER),
                    is_external=True,
                    size="2",
                    id="meeting-test-center",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=MeetingState.join,
        ),
        max_width="520px",
        width="100%",
        margin_x="auto",
    )


def _lobby() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.spinner(size="3"),
            rx.heading(t("meeting.lobby_title"), size="5", as_="h1", id="meeting-lobby"),
            rx.text(t("meeting.lobby_text"), color_scheme="gray", align="center"),
            error_callout(MeetingState.error),
            align="center",
            spacing="3",
            role="status",
        ),
        padding_top="12vh",
        on_mount=RoomEventsState.listen,
    )


def _after(text: rx.Var[str], *actions: rx.Component) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("video_off", size=40, color="var(--gray-9)"),
            rx.heading(text, size="5", as_="h1", id="meeting-closed"),
            *actions,
            align="center",
            spacing="3",
        ),
        padding_top="10vh",
    )


def _frame(*content: rx.Component) -> rx.Component:
    """The tenant's brand and language around the meeting, for guests and host alike."""
    return rx.cond(
        TenantState.found,
        meeting_frame(
            *content,
            in_room=MeetingState.phase == "room",
            room_bar=room_bar(),
            brand=Brand(
                TenantState.name,
                TenantState.logo_url,
                TenantState.favicon_url,
                TenantState.primary_color,
                TenantState.accent_color,
                TenantState.on_primary,
                href(routes.LANDING),
            ),
            language=LanguageChoice(
                LocaleState.lang, TenantState.languages, t("common.language"), LanguageState.choose
            ),
            footer=FooterLinks(
                t("footer.imprint"),
                TenantState.imprint_url,
                t("footer.privacy"),
                TenantState.privacy_url,
                t("footer.terms"),
                TenantState.terms_url,
            ),
            skip_label=t("nav.skip"),
        ),
        rx.center(
            rx.callout(t("notfound.tenant"), icon="circle_alert", color_scheme="red"),
            padding_top="20vh",
        ),
    )


def meeting() -> rx.Component:
    """The meeting page (``/meeting/{room}``, guests with ``?k=``)."""
    return _frame(
        media_scripts(),
        rx.match(
            MeetingState.phase,
            ("join", entry_box(_join_screen())),
            ("room", room()),
            ("lobby", entry_box(_lobby())),
            (
                "left",
                entry_box(
                    _after(
                        t("meeting.left"),
                        rx.button(
                            t("meeting.rejoin"),
                            on_click=MeetingState.rejoin,
                            id="meeting-rejoin",
                            variant="soft",
                        ),
                        feedback_card(),
                    )
                ),
            ),
            (
                "closed",
                entry_box(
                    _after(
                        MeetingState.closed_text,
                        rx.link(t("common.back_home"), href=href(routes.HOME)),
                    )
                ),
            ),
            entry_box(spinner_block(t("app.loading"))),
        ),
    )


ON_LOAD = [TenantState.load, MeetingState.load]
