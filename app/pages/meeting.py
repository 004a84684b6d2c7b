"""The meeting room page: join screen, the room itself, and what follows leaving."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, page
from app.pages.meeting_sections import devices, feedback_card, side_panel
from components.feedback import error_callout, spinner_block
from components.forms import labelled_switch
from components.meeting import (
    Toggle,
    bridge,
    control_bar,
    media_scripts,
    preview_video,
    quality_badge,
    video_stage,
)
from state.locale import t
from state.meeting import MeetingState
from state.meeting_chat import SNAPSHOT_UPLOAD_ID, MeetingChatState
from state.meeting_events import RoomEventsState
from state.meeting_media import MediaBridgeState
from state.meeting_roster import RosterState
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


def _controls() -> rx.Component:
    return control_bar(
        Toggle(
            "meeting-mic",
            rx.cond(MediaBridgeState.mic_on, "mic", "mic_off"),
            rx.cond(MediaBridgeState.mic_on, t("meeting.mic_off"), t("meeting.mic_on")),
            MediaBridgeState.toggle_mic,
            pressed=~MediaBridgeState.mic_on,
        ),
        Toggle(
            "meeting-cam",
            rx.cond(MediaBridgeState.cam_on, "video", "video_off"),
            rx.cond(MediaBridgeState.cam_on, t("meeting.cam_off"), t("meeting.cam_on")),
            MediaBridgeState.toggle_cam,
            pressed=~MediaBridgeState.cam_on,
        ),
        Toggle(
            "meeting-share",
            "monitor_up",
            rx.cond(MediaBridgeState.sharing, t("meeting.stop_share"), t("meeting.share_screen")),
            rx.call_script("window.consilioRoom && window.consilioRoom.toggleScreen()"),
            pressed=MediaBridgeState.sharing,
            visible=RosterState.presenter_key == MeetingState.my_key,
        ),
        Toggle(
            "meeting-hand",
            "hand",
            rx.cond(RosterState.hand_raised, t("meeting.lower_hand"), t("meeting.raise_hand")),
            RosterState.toggle_hand,
            pressed=RosterState.hand_raised,
        ),
        Toggle(
            "meeting-lock",
            rx.cond(RosterState.locked, "lock", "lock_open"),
            rx.cond(RosterState.locked, t("meeting.unlock"), t("meeting.lock")),
            RosterState.toggle_lock,
            pressed=RosterState.locked,
            visible=MeetingState.is_moderator,
        ),
        Toggle("meeting-leave", "phone_off", t("meeting.leave"), MeetingState.leave, color="red"),
        Toggle(
            "meeting-end",
            "circle_stop",
            t("meeting.end"),
            MeetingState.end_for_all,
            color="red",
            visible=MeetingState.is_moderator,
        ),
        label=t("meeting.controls"),
    )


def _room() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(MeetingState.title, size="5", as_="h1"),
            rx.cond(
                RosterState.locked,
                rx.badge(rx.icon("lock", size=12), t("meeting.locked_badge")),
                rx.fragment(),
            ),
            quality_badge(
                t("meeting.quality_good"),
                t("meeting.quality_fair"),
                t("meeting.quality_poor"),
                t("meeting.quality"),
            ),
            rx.match(
                MediaBridgeState.connection,
                (
                    "connected",
                    rx.badge(t("meeting.connected"), color_scheme="green", id="meeting-connection"),
                ),
                (
                    "reconnecting",
                    rx.badge(
                        t("meeting.reconnecting"), color_scheme="amber", id="meeting-connection"
                    ),
                ),
                rx.badge(t("meeting.connecting"), color_scheme="gray", id="meeting-connection"),
            ),
            align="center",
            wrap="wrap",
        ),
        rx.box(
            RosterState.announcement, role="status", aria_live="polite", class_name="rt-r-size-1"
        ),
        error_callout(MeetingState.error),
        error_callout(MediaBridgeState.error),
        error_callout(RosterState.error),
        rx.grid(
            rx.vstack(video_stage(t("meeting.you")), _controls(), width="100%"),
            side_panel(),
            columns=rx.breakpoints(initial="1", md="minmax(0, 1fr) 340px"),
            spacing="4",
            width="100%",
        ),
        bridge(
            {
                "meeting-reconnect": MeetingState.reconnect,
                "meeting-connected": MediaBridgeState.media_connected,
                "meeting-screen-on": MediaBridgeState.screen_started,
                "meeting-screen-off": MediaBridgeState.screen_ended,
                "meeting-media-failed": MediaBridgeState.media_failed,
                "meeting-snapshot-send": MeetingChatState.store_snapshot(
                    rx.upload_files(upload_id=SNAPSHOT_UPLOAD_ID)  # type: ignore[call-arg]
                ),
            },
            upload_ids=(SNAPSHOT_UPLOAD_ID,),
        ),
        width="100%",
        spacing="3",
        on_mount=RoomEventsState.listen,
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


def meeting() -> rx.Component:
    """The meeting page (``/meeting/{room}``, guests with ``?k=``)."""
    return page(
        media_scripts(),
        rx.match(
            MeetingState.phase,
            ("join", _join_screen()),
            ("room", _room()),
            ("lobby", _lobby()),
            (
                "left",
                _after(
                    t("meeting.left"),
                    rx.button(
                        t("meeting.rejoin"),
                        on_click=MeetingState.rejoin,
                        id="meeting-rejoin",
                        variant="soft",
                    ),
                    feedback_card(),
                ),
            ),
            (
                "closed",
                _after(
                    MeetingState.closed_text, rx.link(t("common.back_home"), href=href(routes.HOME))
                ),
            ),
            spinner_block(t("app.loading")),
        ),
    )


ON_LOAD = [TenantState.load, MeetingState.load]
