"""The meeting room itself: the status bar, the stage (videos, lobby banner, who is expected
while alone), the side panel and the control bar, laid out to fill the screen."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href
from app.pages.meeting_sections import lobby_texts, side_panel
from components.confirm import confirm_dialog
from components.feedback import error_callout
from components.meeting import (
    Toggle,
    bridge,
    control,
    control_bar,
    control_button,
    control_gap,
    quality_badge,
    video_stage,
)
from components.meeting_lobby import AloneTexts, alone_card, lobby_banner
from state.locale import t
from state.meeting import MeetingState
from state.meeting_chat import SNAPSHOT_UPLOAD_ID, MeetingChatState
from state.meeting_events import RoomEventsState
from state.meeting_media import MediaBridgeState
from state.meeting_panel import RoomPanelState
from state.meeting_roster import RosterState

# The width from which the side panel sits beside the stage (assets/meeting.css agrees).
WIDE = "(min-width: 1024px)"


def room_bar() -> rx.Component:
    """Title and status of the room, in the page's top bar."""
    return rx.el.div(
        rx.heading(MeetingState.title, size="3", as_="h1", class_name="meeting-title"),
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
                rx.badge(t("meeting.reconnecting"), color_scheme="amber", id="meeting-connection"),
            ),
            rx.badge(t("meeting.connecting"), color_scheme="gray", id="meeting-connection"),
        ),
        class_name="meeting-room-bar",
    )


def _alone() -> rx.Component:
    return alone_card(
        RosterState.expected,
        AloneTexts(
            title=t("meeting.alone_title"),
            expected=t("meeting.expected"),
            unnamed=t("meeting.expected_unnamed"),
            host=t("meeting.host"),
            nobody=t("meeting.alone_nobody"),
            invite=t("meeting.alone_invite"),
            test_center=t("test.link"),
        ),
        moderator=MeetingState.is_moderator,
        on_invite=RoomPanelState.show("invite"),
        test_center_href=href(routes.TEST_CENTER),
    )


def _stage() -> rx.Component:
    return video_stage(
        t("meeting.stage"),
        t("meeting.self_view"),
        overlays=(
            error_callout(MeetingState.error),
            error_callout(MediaBridgeState.error),
            error_callout(RosterState.error),
            lobby_banner(
                RosterState.waiting,
                lobby_texts(),
                on_admit=RosterState.admit,
                on_decline=RosterState.remove,
            ),
        ),
        alone=_alone(),
    )


def _end_for_everyone() -> rx.Component:
    """The moderator's red "end for everyone", beside "leave"; asks first."""
    button = control_button(
        Toggle("meeting-end", "circle_stop", t("meeting.end"), color="red", solid=True)
    )
    return rx.cond(
        MeetingState.is_moderator,
        confirm_dialog(
            button,
            t("meeting.end_question"),
            subject=MeetingState.title,
            consequence=t("meeting.end_detail"),
            confirm_label=t("meeting.end"),
            cancel_label=t("common.cancel"),
            on_confirm=MeetingState.end_for_all,
            confirm_class="confirm-end",
        ),
        rx.fragment(),
    )


def _controls() -> rx.Component:
    return control_bar(
        control(
            Toggle(
                "meeting-mic",
                rx.cond(MediaBridgeState.mic_on, "mic", "mic_off"),
                rx.cond(MediaBridgeState.mic_on, t("meeting.mic_off"), t("meeting.mic_on")),
                MediaBridgeState.toggle_mic,
                pressed=~MediaBridgeState.mic_on,
            )
        ),
        control(
            Toggle(
                "meeting-cam",
                rx.cond(MediaBridgeState.cam_on, "video", "video_off"),
                rx.cond(MediaBridgeState.cam_on, t("meeting.cam_off"), t("meeting.cam_on")),
                MediaBridgeState.toggle_cam,
                pressed=~MediaBridgeState.cam_on,
            )
        ),
        control(
            Toggle(
                "meeting-share",
                "monitor_up",
                rx.cond(
                    MediaBridgeState.sharing, t("meeting.stop_share"), t("meeting.share_screen")
                ),
                rx.call_script("window.consilioRoom && window.consilioRoom.toggleScreen()"),
                pressed=MediaBridgeState.sharing,
                visible=RosterState.presenter_key == MeetingState.my_key,
            )
        ),
        control(
            Toggle(
                "meeting-hand",
                "hand",
                rx.cond(RosterState.hand_raised, t("meeting.lower_hand"), t("meeting.raise_hand")),
                RosterState.toggle_hand,
                pressed=RosterState.hand_raised,
                visible=~MeetingState.is_moderator,  # the host has the floor anyway
            )
        ),
        control(
            Toggle(
                "meeting-lock",
                rx.cond(RosterState.locked, "lock", "lock_open"),
                rx.cond(RosterState.locked, t("meeting.unlock"), t("meeting.lock")),
                RosterState.toggle_lock,
                pressed=RosterState.locked,
                visible=MeetingState.is_moderator,
            )
        ),
        control(
            Toggle(
                "meeting-people",
                "users",
                t("meeting.participants"),
                RoomPanelState.toggle("people"),
                badge=RosterState.waiting.length(),
                badge_label=t("meeting.waiting_count"),
                controls="meeting-panel",
                expanded=RoomPanelState.panel == "people",
            )
        ),
        control(
            Toggle(
                "meeting-chat-toggle",
                "message_square",
                t("meeting.chat"),
                [RoomPanelState.toggle("chat"), MeetingChatState.mark_read],
                badge=MeetingChatState.unread,
                badge_label=t("meeting.unread_count"),
                controls="meeting-panel",
                expanded=RoomPanelState.panel == "chat",
            )
        ),
        control_gap(),
        control(
            Toggle(
                "meeting-leave",
                "phone_off",
                t("meeting.leave"),
                MeetingState.leave,
                color="red",
                solid=True,
            )
        ),
        _end_for_everyone(),
        label=t("meeting.controls"),
    )


def room() -> rx.Component:
    """The room: stage and side panel, the control bar below, a live region for screen
    readers (who came, left, raised a hand) and the media client's hidden buttons."""
    return rx.el.div(
        rx.el.div(_stage(), side_panel(), class_name="meeting-body"),
        _controls(),
        rx.el.div(
            RosterState.announcement,
            role="status",
            aria_live="polite",
            id="meeting-announcement",
            class_name="meeting-sr",
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
        class_name="meeting-room",
        on_mount=[
            RoomEventsState.listen,
            rx.call_script(f"window.matchMedia('{WIDE}').matches", callback=RoomPanelState.start),
        ],
    )
