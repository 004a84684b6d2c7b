"""Sections of the meeting page: device choice, the side panel (participants, chat, invite,
devices) and the feedback card shown after leaving."""

from __future__ import annotations

import reflex as rx

from components.feedback import error_callout, notice_callout
from components.meeting import DeviceTexts, device_fields
from components.meeting_chat import ChatTexts, ChatUpload, chat_announcer, chat_panel
from components.meeting_panels import RosterTexts, participants_list, waiting_list
from components.star_rating import star_label, star_rating
from state.locale import t
from state.meeting import MeetingState
from state.meeting_chat import UPLOAD_ID, MeetingChatState
from state.meeting_feedback import STARS_FIELD, MeetingFeedbackState
from state.meeting_invite import MeetingInviteState
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
    """Invite someone (moderator) and continue on a phone."""
    return rx.vstack(
        rx.cond(
            MeetingState.is_moderator,
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


def _lobby() -> rx.Component:
    """Guests waiting to be let in (the moderator's view)."""
    return waiting_list(
        RosterState.waiting,
        t("meeting.waiting_heading"),
        t("meeting.admit"),
        t("meeting.decline"),
        on_admit=RosterState.admit,
        on_decline=RosterState.remove,
    )


def side_panel() -> rx.Component:
    """Participants and lobby, chat, invitations and devices as tabs."""
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
            rx.vstack(_lobby(), _participants(), padding_top="0.75em", spacing="3"), value="people"
        ),
        rx.tabs.content(
            rx.box(error_callout(MeetingChatState.error), _chat(), padding_top="0.75em"),
            value="chat",
        ),
        rx.tabs.content(rx.box(invite_panel(), padding_top="0.75em"), value="invite"),
        rx.tabs.content(
            rx.vstack(
                devices(),
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
        chat_announcer(MeetingChatState.announcement, MeetingChatState.announced),
        default_value="people",
        width="100%",
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
