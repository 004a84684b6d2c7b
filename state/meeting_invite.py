"""Inviting one more person during the meeting, and moving one's own seat to a phone."""

from __future__ import annotations

import reflex as rx

from app.services import meetings
from app.services.qr import qr_data_uri
from state.meeting_access import Attending, attending


class MeetingInviteState(rx.State):
    """The invitation form (moderator) and the QR code to continue on another device."""

    name: str = ""
    email: str = ""
    link: str = ""
    qr: str = ""
    handover_qr: str = ""
    notice: str = ""
    error: str = ""

    @rx.event
    def set_name(self, value: str) -> None:
        """Typing the invitee's name."""
        self.name = value[:120]

    @rx.event
    def set_email(self, value: str) -> None:
        """Typing the invitee's address."""
        self.email = value[:254]

    @rx.event
    @attending
    def invite(self, att: Attending, _form: dict[str, str] | None = None) -> None:
        """A personal link for one more participant (mailed when an address is given)."""
        link = meetings.invite(
            att.db, att.attendee, name=self.name, email=self.email, locale=att.caller.lang
        )
        self.link, self.qr = link, qr_data_uri(link)
        self.notice = att.text(
            "meeting.invite_mailed" if self.email.strip() else "meeting.invite_created"
        )
        self.name = self.email = ""

    @rx.event
    @attending
    def hand_over(self, att: Attending) -> None:
        """A QR code with a fresh link to one's own seat, to continue on a phone."""
        link = meetings.handover_link(att.db, att.attendee, att.link)
        self.handover_qr = qr_data_uri(link)
