"""The feedback form shown after leaving a meeting."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.services import meeting_feedback
from state.meeting_access import Attending, attending

STARS_FIELD = "feedback-stars"  # the star rating's form field (app/pages/meeting_sections.py)


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
        """Choosing 1 to 5 stars (mirrors the stars the browser shows)."""
        self.stars = _stars(stars)

    @rx.event
    @attending
    def send(self, att: Attending, form: dict[str, Any]) -> None:
        """Store the rating (it can be changed by sending again).

        The stars are the ones submitted with the form, i.e. the ones on screen; the mirror
        kept by :meth:`rate` only stands in when the form carries none.
        """
        stars = _stars(str(form.get(STARS_FIELD) or "")) or self.stars
        comment = str(form.get("comment", ""))
        meeting_feedback.give_feedback(att.db, att.attendee, stars=stars, comment=comment)
        self.stars, self.comment, self.sent = stars, comment, True


def _stars(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 3 else 0
