"""The meeting room page: join screen, the room itself, and what follows leaving."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, page
from components.feedback import error_callout, notice_callout, spinner_block
from components.forms import labelled_switch
from components.meeting import (
    ChatTexts,
    DeviceTexts,
    RosterTexts,
    Toggle,
    bridge,
    chat_panel,
    control_bar,
    device_fields,
    media_scripts,
    participants_list,
    preview_video,
    quality_badge,
    video_stage,
    waiting_list,
)
from state.locale import t
from state.meeting import MeetingState
from state.meeting_chat import SNAPSHOT_UPLOAD_ID, UPLOAD_ID, MeetingChatState
from state.meeting_feedback import MeetingFeedbackState
from state.meeting_invite import MeetingInviteState
from state.meeting_roster import RosterState
from state.tenant import TenantState

# The browser's own cap; the tenant's limit (at most 25 MB) is checked on the server.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024


def _devices() -> rx.Component:
    return device_fields(
        DeviceTexts(
            camera=t("meeting.camera"),
            microphone=t("meeting.microphone"),
            speaker=t("meeting.speaker"),
            fallback=t("meeting.device"),
        )
    )


def _join_screen() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.text(t("meeting.join_heading"), size="2", color_scheme="gray"),
                rx.heading(MeetingState.title, size="6", as_="h1"),
                preview_video(t("meeting.preview")),
                _devices(),
                rx.cond(
                    MeetingState.needs_consent,
                    rx.vstack(
                        rx.el.label(
                            t("meeting.your_name"),
                            html_for="meeting-name",
                            style={"fontWeight": "500", "fontSize": "0.9em"},
                        ),
                        rx.input(
                            id="meeting-name",
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
                                checked=MeetingState.consent,
                                on_change=MeetingState.set_consent,
                            ),
                            rx.el.label(
                                t("meeting.consent"),
                                " ",
                                rx.cond(
                                    TenantState.privacy_url != "",
                                    rx.link(
                                        t("footer.privacy"),
                                        href=TenantState.privacy_url,
                                        is_external=True,
                                    ),
                                    rx.fragment(),
                                ),
                                html_for="meeting-consent",
                                style={"fontSize": "0.9em"},
                            ),
                            align="start",
                        ),
                        width="100%",
                        spacing="2",
                    ),
                    rx.fragment(),
                ),
                rx.hstack(
                    labelled_switch(
                        "meeting-mic-default",
                        t("meeting.microphone"),
                        MeetingState.mic_on,
                        MeetingState.set_mic_default,
                    ),
                    labelled_switch(
                        "meeting-cam-default",
                        t("meeting.camera"),
                        MeetingState.cam_on,
                        MeetingState.set_cam_default,
                    ),
                    spacing="5",
                    wrap="wrap",
                ),
                error_callout(MeetingState.error),
                rx.button(
                    rx.icon("video"), t("meeting.join"), type="submit", size="3", id="meeting-join"
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
            rx.cond(MeetingState.mic_on, "mic", "mic_off"),
            rx.cond(MeetingState.mic_on, t("meeting.mic_off"), t("meeting.mic_on")),
            MeetingState.toggle_mic,
            pressed=~MeetingState.mic_on,
        ),
        Toggle(
            "meeting-cam",
            rx.cond(MeetingState.cam_on, "video", "video_off"),
            rx.cond(MeetingState.cam_on, t("meeting.cam_off"), t("meeting.cam_on")),
            MeetingState.toggle_cam,
            pressed=~MeetingState.cam_on,
        ),
        Toggle(
            "meeting-share",
            "monitor_up",
            rx.cond(MeetingState.sharing, t("meeting.stop_share"), t("meeting.share_screen")),
            rx.call_script("window.consilioRoom && window.consilioRoom.toggleScreen()"),
            pressed=MeetingState.sharing,
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


def _invite_panel() -> rx.Component:
    return rx.vstack(
        rx.cond(
            MeetingState.is_moderator,
            rx.form(
                rx.vstack(
                    rx.heading(t("meeting.invite"), size="3", as_="h2"),
                    rx.el.label(t("meeting.invite_name"), html_for="meeting-invite-name"),
                    rx.input(
                        id="meeting-invite-name",
                        value=MeetingInviteState.name,
                        on_change=MeetingInviteState.set_name,
                        width="100%",
                    ),
                    rx.el.label(t("meeting.invite_email"), html_for="meeting-invite-email"),
                    rx.input(
                        id="meeting-invite-email",
                        type="email",
                        value=MeetingInviteState.email,
                        on_change=MeetingInviteState.set_email,
                        width="100%",
                    ),
                    rx.button(t("meeting.invite_create"), type="submit", id="meeting-invite"),
                    width="100%",
                ),
                on_submit=MeetingInviteState.invite,
                width="100%",
            ),
            rx.fragment(),
        ),
        error_callout(MeetingInviteState.error),
        notice_callout(MeetingInviteState.notice),
        rx.cond(
            MeetingInviteState.link != "",
            rx.vstack(
                rx.el.label(t("meeting.invite_link"), html_for="meeting-invite-link"),
                rx.hstack(
                    rx.input(
                        id="meeting-invite-link",
                        value=MeetingInviteState.link,
                        read_only=True,
                        flex="1",
                    ),
                    rx.icon_button(
                        rx.icon("copy"),
                        aria_label=t("meeting.copy"),
                        on_click=rx.set_clipboard(MeetingInviteState.link),
                    ),
                    width="100%",
                ),
                rx.image(src=MeetingInviteState.qr, alt=t("meeting.invite_qr"), width="160px"),
                width="100%",
            ),
            rx.fragment(),
        ),
        rx.divider(),
        rx.button(
            rx.icon("smartphone"),
            t("meeting.handover"),
            variant="soft",
            on_click=MeetingInviteState.hand_over,
        ),
        rx.cond(
            MeetingInviteState.handover_qr != "",
            rx.vstack(
                rx.text(t("meeting.handover_text"), size="2"),
                rx.image(
                    src=MeetingInviteState.handover_qr, alt=t("meeting.handover"), width="160px"
                ),
            ),
            rx.fragment(),
        ),
        width="100%",
        spacing="3",
    )


def _side_panel() -> rx.Component:
    roster = participants_list(
        RosterState.participants,
        RosterTexts(
            heading=t("meeting.participants"),
            you=t("meeting.you"),
            host=t("meeting.host"),
            presenter=t("meeting.presenter"),
            hand=t("meeting.hand_raised"),
            offline=t("meeting.offline"),
            make_presenter=t("meeting.make_presenter"),
            mute=t("meeting.mute"),
            remove=t("meeting.remove"),
            lower_hand=t("meeting.lower_hand"),
            snapshot=t("meeting.snapshot"),
        ),
        moderator=MeetingState.is_moderator,
        on_presenter=RosterState.make_presenter,
        on_mute=RosterState.mute,
        on_remove=RosterState.remove,
        on_lower_hand=RosterState.lower_hand,
        on_snapshot=MeetingChatState.take_snapshot,
    )
    chat = chat_panel(
        MeetingChatState.lines,
        MeetingChatState.draft,
        ChatTexts(
            heading=t("meeting.chat"),
            empty=t("meeting.chat_empty"),
            message_label=t("meeting.message"),
            send=t("meeting.send"),
            attach=t("meeting.attach"),
            share=t("meeting.share_file"),
            download=t("meeting.download"),
            limits=t("meeting.file_hint"),
        ),
        on_draft=MeetingChatState.set_draft,
        on_send=MeetingChatState.send,
        upload_id=UPLOAD_ID,
        on_upload=MeetingChatState.share_files(rx.upload_files(upload_id=UPLOAD_ID)),  # type: ignore[call-arg]
        on_download=MeetingChatState.download,
        max_bytes=MAX_UPLOAD_BYTES,
    )
    waiting = waiting_list(
        RosterState.waiting,
        t("meeting.waiting_heading"),
        t("meeting.admit"),
        t("meeting.decline"),
        on_admit=RosterState.admit,
        on_decline=RosterState.remove,
    )
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(t("meeting.participants"), value="people"),
            rx.tabs.trigger(
                t("meeting.chat"),
                rx.cond(
                    MeetingChatState.unread > 0,
                    rx.badge(MeetingChatState.unread, margin_left="0.3em"),
                    rx.fragment(),
                ),
                value="chat",
                id="meeting-chat-tab",
                on_click=MeetingChatState.mark_read,
            ),
            rx.tabs.trigger(t("meeting.invite"), value="invite"),
            rx.tabs.trigger(t("meeting.devices"), value="devices"),
        ),
        rx.tabs.content(
            rx.vstack(waiting, roster, padding_top="0.75em", spacing="3"), value="people"
        ),
        rx.tabs.content(
            rx.box(error_callout(MeetingChatState.error), chat, padding_top="0.75em"),
            value="chat",
        ),
        rx.tabs.content(rx.box(_invite_panel(), padding_top="0.75em"), value="invite"),
        rx.tabs.content(
            rx.vstack(
                _devices(),
                rx.button(
                    rx.icon("switch_camera"),
                    t("meeting.flip_camera"),
                    variant="soft",
                    on_click=rx.call_script(
                        "window.consilioRoom && window.consilioRoom.flipCamera()"
                    ),
                ),
                padding_top="0.75em",
                spacing="3",
            ),
            value="devices",
        ),
        default_value="people",
        width="100%",
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
                MeetingState.connection,
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
        error_callout(RosterState.error),
        rx.grid(
            rx.vstack(video_stage(t("meeting.you")), _controls(), width="100%"),
            _side_panel(),
            columns=rx.breakpoints(initial="1", md="minmax(0, 1fr) 340px"),
            spacing="4",
            width="100%",
        ),
        bridge(
            {
                "meeting-reconnect": MeetingState.reconnect,
                "meeting-connected": MeetingState.media_connected,
                "meeting-screen-on": MeetingState.screen_started,
                "meeting-screen-off": MeetingState.screen_ended,
                "meeting-media-failed": MeetingState.media_failed,
                "meeting-snapshot-send": MeetingChatState.store_snapshot(
                    rx.upload_files(upload_id=SNAPSHOT_UPLOAD_ID)  # type: ignore[call-arg]
                ),
            },
            upload_ids=(SNAPSHOT_UPLOAD_ID,),
        ),
        width="100%",
        spacing="3",
    )


def _feedback() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend(t("feedback.question"), style={"fontWeight": "500"}),
                rx.radio_group(
                    ["1", "2", "3", "4", "5"],
                    value=MeetingFeedbackState.stars.to_string(),
                    on_change=MeetingFeedbackState.rate,
                    direction="row",
                    id="feedback-stars",
                ),
                rx.text(t("feedback.scale"), size="1", color_scheme="gray"),
                style={"border": "none", "padding": "0"},
            ),
            rx.el.label(t("feedback.comment"), html_for="feedback-comment"),
            rx.text_area(
                id="feedback-comment", name="comment", rows="3", width="100%", max_length=2000
            ),
            error_callout(MeetingFeedbackState.error),
            rx.button(t("feedback.send"), type="submit", id="feedback-send"),
            width="100%",
            spacing="2",
        ),
        on_submit=MeetingFeedbackState.send,
        width="100%",
    )
    return rx.card(
        rx.vstack(
            rx.heading(t("feedback.title"), size="4", as_="h2"),
            rx.cond(
                MeetingFeedbackState.intro != "", rx.text(MeetingFeedbackState.intro), rx.fragment()
            ),
            rx.cond(
                MeetingFeedbackState.sent,
                rx.callout(
                    t("feedback.thanks"), icon="heart", color_scheme="green", id="feedback-thanks"
                ),
                form,
            ),
            rx.cond(
                MeetingFeedbackState.link != "",
                rx.link(t("feedback.more"), href=MeetingFeedbackState.link, is_external=True),
                rx.fragment(),
            ),
            width="100%",
        ),
        width="100%",
        max_width="480px",
    )


def _lobby() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.spinner(size="3"),
            rx.heading(t("meeting.lobby_title"), size="5", as_="h1", id="meeting-lobby"),
            rx.text(t("meeting.lobby_text"), color_scheme="gray", align="center"),
            align="center",
            spacing="3",
            role="status",
        ),
        padding_top="12vh",
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
                    _feedback(),
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
