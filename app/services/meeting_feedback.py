"""Feedback after a meeting: 1 to 5 stars and an optional comment, one per participant."""

from __future__ import annotations

import dataclasses

from sqlmodel import Session, select

from app.models import MeetingFeedback, Tenant
from app.services.errors import InvalidInput
from app.services.meetings import Attendee

COMMENT_LIMIT = 2000


@dataclasses.dataclass(frozen=True)
class FeedbackInvitation:
    """What the tenant shows with the feedback form."""

    text: str
    url: str


def invitation(session: Session, attendee: Attendee) -> FeedbackInvitation:
    """The tenant's own words and link for the feedback form (empty when not set)."""
    tenant = session.get(Tenant, attendee.tenant_id)
    assert tenant is not None
    return FeedbackInvitation(tenant.meeting_feedback_text or "", tenant.meeting_feedback_url or "")


def give_feedback(session: Session, attendee: Attendee, *, stars: int, comment: str) -> None:
    """Store (or replace) the attendee's rating of the meeting.

    Raises:
        InvalidInput: stars outside 1..5 or a comment over the limit.
    """
    if stars not in range(1, 6):
        raise InvalidInput("feedback.stars_required")
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("feedback.too_long", limit=COMMENT_LIMIT)
    row = session.exec(
        select(MeetingFeedback).where(MeetingFeedback.participant_id == attendee.participant_id)
    ).first() or MeetingFeedback(
        tenant_id=attendee.tenant_id,
        meeting_id=attendee.meeting_id,
        participant_id=attendee.participant_id,
        stars=stars,
    )
    row.stars, row.comment = stars, comment
    session.add(row)
