"""The feedback form shown after leaving a meeting."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.services import meeting_feedback
from state.meeting_access import Attending, attending


class MeetingFeedbackState(rx.State):
    """Stars, comment, and the tenant's text and link around the form."""

    stars: int = 0
    comment: str = ""
    intro: str = ""
    link: str = ""
    sent: bool = False
    error: str = ""

    @rx.event
    @attending
    def prepare(self, att: Attending) -> None:
        """Fresh form with the tenant's words (called when the participant leaves)."""
        self.stars, self.comment, self.sent = 0, "", False
        invitation = meeting_feedback.invitation(att.db, att.attendee)
        self.intro, self.link = invitation.text, invitation.url

    @rx.event
    def rate(self, stars: str) -> None:
        """Choosing 1 to 5 stars."""
        self.stars = int(stars) if stars.isdigit() else 0

    @rx.event
    @attending
    def send(self, att: Attending, form: dict[str, Any]) -> None:
        """Store the rating (it can be changed by sending again)."""
        comment = str(form.get("comment", ""))
        meeting_feedback.give_feedback(att.db, att.attendee, stars=self.stars, comment=comment)
        self.comment, self.sent = comment, True
