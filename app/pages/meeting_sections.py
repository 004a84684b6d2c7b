"""Sections of the meeting page: device choice, the side panel (participants and lobby, chat,
invite, continuing on a phone, devices) and the feedback card shown after leaving."""

from __future__ import annotations

from typing import Any

import reflex as rx

from components.feedback import error_callout, notice_callout
from components.meeting import DeviceTexts, device_fields
from components.meeting_chat import ChatTexts, ChatUpload, chat_announcer, chat_panel
from components.meeting_lobby import LobbyTexts, waiting_list
from components.meeting_panels import RosterTexts, participants_list
from components.star_rating import star_label, star_rating
from state.locale import t
from state.meeting import MeetingState
from state.meeting_chat import UPLOAD_ID, MeetingChatState
from state.meeting_feedback import STARS_FIELD, MeetingFeedbackState
from state.meeting_invite import MeetingInviteState
from state.meeting_panel import RoomPanelState
from state.meeting_roster import RosterState


def devices() -> rx.Component:
    """Camera, microphone and speaker choice."""
    return device_fields(
        DeviceTexts(
            camera=t("meeting.camera"),
            microphone=t("meeting.microphone"),
            speaker=t("meeting.speaker"),
            fallback=t("meeting.device"),
        )
    )


def invite_panel() -> rx.Component:
    """Invite one more person (the moderator): a personal link to copy, show or mail."""
    return rx.vstack(
        rx.form(
            rx.vstack(
                rx.heading(t("meeting.invite"), size="3", as_="h2"),
                rx.el.label(t("meeting.invite_name"), html_for="meeting-invite-name"),
                rx.input(
                    id="meeting-invite-name",
                    name="meeting-invite-name",
                    value=MeetingInviteState.name,
                    on_change=MeetingInviteState.set_name,
                    width="100%",
                ),
                rx.el.label(t("meeting.invite_email"), html_for="meeting-invite-email"),
                rx.input(
                    id="meeting-invite-email",
                    name="meeting-invite-email",
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
                        data_tip=t("meeting.copy"),
                        on_click=rx.set_clipboard(MeetingInviteState.link),
                    ),
                    width="100%",
                ),
                rx.image(src=MeetingInviteState.qr, alt=t("meeting.invite_qr"), width="160px"),
                width="100%",
            ),
            rx.fragment(),
        ),
        width="100%",
        spacing="3",
    )


def phone_panel() -> rx.Component:
    """Continue on a phone: a QR code with a link to one's own seat."""
    return rx.vstack(
        rx.heading(t("meeting.handover"), size="3", as_="h2"),
        rx.text(t("meeting.handover_text"), size="2"),
        rx.button(
            rx.icon("smartphone"),
            t("meeting.handover"),
            variant="soft",
            on_click=MeetingInviteState.hand_over,
            id="meeting-handover",
        ),
        rx.cond(
            MeetingInviteState.handover_qr != "",
            rx.image(
                src=MeetingInviteState.handover_qr,
                alt=t("meeting.handover"),
                width="160px",
                id="meeting-handover-qr",
            ),
            rx.fragment(),
        ),
        width="100%",
        spacing="3",
    )


def _participants() -> rx.Component:
    """Everyone in the room, with the moderator's actions."""
    return participants_list(
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
            remove_question=t("meeting.remove_question"),
            remove_detail=t("meeting.remove_detail"),
            cancel=t("common.cancel"),
        ),
        moderator=MeetingState.is_moderator,
        on_presenter=RosterState.make_presenter,
        on_mute=RosterState.mute,
        on_remove=RosterState.remove,
        on_lower_hand=RosterState.lower_hand,
        on_snapshot=MeetingChatState.take_snapshot,
    )


def _chat() -> rx.Component:
    """The room's chat with files."""
    return chat_panel(
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
            limits=t("meeting.file_limits"),
            uploading=t("meeting.uploading"),
            percent=t("meeting.upload_percent"),
            cancel=t("meeting.upload_cancel"),
        ),
        ChatUpload(
            upload_id=UPLOAD_ID,
            max_mb=MeetingChatState.file_max_mb,
            kinds=MeetingChatState.file_kinds,
            uploading=MeetingChatState.uploading,
            percent=MeetingChatState.upload_percent,
            refusal=MeetingChatState.refusal,
            on_upload=[
                MeetingChatState.upload_started,
                MeetingChatState.share_files(
                    rx.upload_files(  # type: ignore[call-arg]
                        upload_id=UPLOAD_ID, on_upload_progress=MeetingChatState.upload_progressed
                    )
                ),
            ],
            on_refused=MeetingChatState.file_refused,
            on_cancel=MeetingChatState.upload_cancelled,
        ),
        on_draft=MeetingChatState.set_draft,
        on_send=MeetingChatState.send,
        on_download=MeetingChatState.download,
        on_shown=MeetingChatState.mark_read,
        on_hidden=MeetingChatState.chat_hidden,
    )


def lobby_texts() -> LobbyTexts:
    """Labels of the lobby (panel list and stage banner)."""
    return LobbyTexts(
        heading=t("meeting.waiting_heading"),
        admit=t("meeting.admit"),
        decline=t("meeting.decline"),
        decline_question=t("meeting.decline_question"),
        decline_detail=t("meeting.remove_detail"),
        cancel=t("common.cancel"),
    )


def _lobby() -> rx.Component:
    """Guests waiting to be let in (the moderator's view)."""
    return waiting_list(
        RosterState.waiting,
        lobby_texts(),
        on_admit=RosterState.admit,
        on_decline=RosterState.remove,
    )


def _tab(
    value: str, icon: str, label: rx.Var[str], *extra: rx.Component, **props: Any
) -> rx.Component:
    """A tab of the side panel: icon over a short label, so five fit a phone's width."""
    return rx.tabs.trigger(
        rx.el.span(
            rx.icon(icon, size=16, aria_hidden="true"),
            rx.el.span(label, class_name="meeting-tab-label"),
            *extra,
            class_name="meeting-tab",
        ),
        value=value,
        **props,
    )


def _count(count: rx.Var[int]) -> rx.Component:
    return rx.cond(
        count > 0, rx.badge(count, size="1", class_name="meeting-tab-count"), rx.fragment()
    )


def _panel_content(value: str, *children: rx.Component) -> rx.Component:
    return rx.tabs.content(
        rx.vstack(*children, spacing="3", width="100%"),
        value=value,
        class_name="meeting-panel-content",
    )


def side_panel() -> rx.Component:
    """Participants and lobby, chat, invitations, continuing on a phone and devices as tabs;
    beside the stage on a laptop, a sheet over it on phones and tablets (closed by its button
    or Escape)."""
    return rx.el.aside(
        rx.tabs.root(
            rx.box(
                rx.tabs.list(
                    _tab(
                        "people",
                        "users",
                        t("meeting.tab_people"),
                        _count(RosterState.waiting.length()),
                    ),
                    _tab(
                        "chat",
                        "message_square",
                        t("meeting.chat"),
                        _count(MeetingChatState.unread),
                        id="meeting-chat-tab",
                        on_click=MeetingChatState.mark_read,
                    ),
                    rx.cond(
                        MeetingState.is_moderator,
                        _tab("invite", "user_plus", t("meeting.invite")),
                        rx.fragment(),
                    ),
                    _tab("phone", "smartphone", t("meeting.tab_phone")),
                    _tab("devices", "settings", t("meeting.devices")),
                    size="1",
                    class_name="meeting-tabs",
                ),
                rx.icon_button(
                    rx.icon("x"),
                    variant="ghost",
                    color_scheme="gray",
                    aria_label=t("meeting.close_panel"),
                    data_tip=t("meeting.close_panel"),
                    on_click=RoomPanelState.close,
                    id="meeting-panel-close",
                ),
                class_name="meeting-panel-head",
            ),
            _panel_content("people", _lobby(), _participants()),
            _panel_content("chat", error_callout(MeetingChatState.error), _chat()),
            _panel_content(
                "invite", rx.cond(MeetingState.is_moderator, invite_panel(), rx.fragment())
            ),
            _panel_content("phone", phone_panel()),
            _panel_content(
                "devices",
                devices(),
                rx.button(
                    rx.icon("switch_camera"),
                    t("meeting.flip_camera"),
                    variant="soft",
                    on_click=rx.call_script(
                        "window.consilioRoom && window.consilioRoom.flipCamera()"
                    ),
                ),
            ),
            value=rx.cond(RoomPanelState.panel != "", RoomPanelState.panel, "people"),
            on_change=RoomPanelState.show,
            class_name="meeting-panel-tabs",
        ),
        chat_announcer(MeetingChatState.announcement, MeetingChatState.announced),
        id="meeting-panel",
        aria_label=t("meeting.panel"),
        data_open=RoomPanelState.panel != "",
        class_name="meeting-panel",
    )


def feedback_card() -> rx.Component:
    """Stars and comment after leaving, with the tenant's words."""
    form = rx.form(
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend(
                    t("feedback.question"), id="feedback-question", style={"fontWeight": "500"}
                ),
                star_rating(
                    t("feedback.star_label"),
                    labelled_by="feedback-question",
                    on_change=MeetingFeedbackState.rate,
                    id="feedback-stars",
                    name=STARS_FIELD,
                ),
                rx.text(
                    rx.cond(
                        MeetingFeedbackState.stars > 0,
                        star_label(t("feedback.star_label"), MeetingFeedbackState.stars),
                        t("feedback.scale"),
                    ),
                    size="1",
                    color="var(--gray-11)",
                    id="feedback-stars-chosen",
                ),
                style={"border": "none", "padding": "0", "margin": "0"},
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
