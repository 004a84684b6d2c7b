"""What the moderator of a room decides: who comes in from the lobby, who presents, who is
muted or removed, whether the room is locked, when it ends. Each decision is audited, told
to the room after commit, and (presenter, removal, mute) enforced by the room's media node
(media_control) after commit."""

from __future__ import annotations

from sqlmodel import Session

from app.models import MeetingParticipant
from app.models.base import utcnow
from app.services import media_control
from app.services.context import scoped
from app.services.errors import InvalidInput
from app.services.meetings import (
    Attendee,
    ParticipantView,
    audit_event,
    get_meeting,
    participant_by_key,
    publish_after_commit,
    require_moderator,
)


def list_waiting(session: Session, attendee: Attendee) -> list[ParticipantView]:
    """Guests in the lobby, first come first (the moderator's view; empty for others)."""
    if not attendee.is_moderator:
        return []
    rows = session.exec(
        scoped(attendee.ctx, MeetingParticipant)
        .where(
            MeetingParticipant.meeting_id == attendee.meeting_id,
            MeetingParticipant.removed_at.is_(None),  # type: ignore[union-attr]
            MeetingParticipant.consent_at.is_not(None),  # type: ignore[union-attr]
            MeetingParticipant.admitted_at.is_(None),  # type: ignore[union-attr]
        )
        .order_by(MeetingParticipant.consent_at)  # type: ignore[arg-type]
    ).all()
    return [ParticipantView(p.key, p.name, p.role, False, False, False) for p in rows]


def admit(session: Session, attendee: Attendee, key: str) -> None:
    """Let a waiting guest into the room (the moderator; declining is removing)."""
    require_moderator(attendee)
    target = participant_by_key(session, attendee, key)
    if target.consent_at is None or target.admitted_at is not None:
        return
    target.admitted_at = utcnow()
    session.add(target)
    audit_event(session, attendee, "meeting.participant_admitted", participant=target.key)
    publish_after_commit(session, attendee.room, {"type": "admitted", "key": target.key})


def set_presenter(session: Session, attendee: Attendee, key: str) -> None:
    """Give the presenter role (the right to share a screen) to ``key``, or take it back."""
    require_moderator(attendee)
    meeting = get_meeting(session, attendee)
    target = participant_by_key(session, attendee, key)
    meeting.presenter_key = target.key
    session.add(meeting)
    audit_event(session, attendee, "meeting.presenter_changed", presenter=target.key)
    publish_after_commit(session, attendee.room, {"type": "presenter", "key": target.key})
    media_control.command_after_commit(session, attendee.room, "presenter", participant=target.key)


def remove_participant(session: Session, attendee: Attendee, key: str) -> None:
    """Send ``key`` out of the room for good; their link stops working."""
    require_moderator(attendee)
    if key == attendee.key:
        raise InvalidInput("meeting.cannot_remove_self")
    target = participant_by_key(session, attendee, key)
    target.removed_at = utcnow()
    target.online = False
    session.add(target)
    meeting = get_meeting(session, attendee)
    if meeting.presenter_key == key:  # the right to present goes back to the moderator
        meeting.presenter_key = attendee.key
        session.add(meeting)
        publish_after_commit(session, attendee.room, {"type": "presenter", "key": attendee.key})
        media_control.command_after_commit(
            session, attendee.room, "presenter", participant=attendee.key
        )
    audit_event(session, attendee, "meeting.participant_removed", participant=key)
    publish_after_commit(session, attendee.room, {"type": "removed", "key": key})
    media_control.command_after_commit(session, attendee.room, "remove", participant=key)


def mute_participant(session: Session, attendee: Attendee, key: str) -> None:
    """The moderator mutes ``key``'s microphone (they can unmute themselves)."""
    require_moderator(attendee)
    target = participant_by_key(session, attendee, key)
    audit_event(session, attendee, "meeting.participant_muted", participant=target.key)
    publish_after_commit(session, attendee.room, {"type": "muted", "key": target.key})
    media_control.command_after_commit(
        session, attendee.room, "mute", participant=target.key, kind="audio", muted=True
    )


def set_locked(session: Session, attendee: Attendee, locked: bool) -> None:
    """Lock the room (nobody new enters; those already in may come back) or open it."""
    require_moderator(attendee)
    meeting = get_meeting(session, attendee)
    meeting.locked = locked
    session.add(meeting)
    audit_event(session, attendee, "meeting.locked" if locked else "meeting.unlocked")
    publish_after_commit(session, attendee.room, {"type": "locked", "locked": locked})


def lower_hand_of(session: Session, attendee: Attendee, key: str) -> None:
    """The moderator lowers someone's hand (they had their say)."""
    require_moderator(attendee)
    target = participant_by_key(session, attendee, key)
    target.hand_raised = False
    session.add(target)
    publish_after_commit(session, attendee.room, {"type": "participants"})


def end_meeting(session: Session, attendee: Attendee) -> None:
    """Close the room for everyone."""
    require_moderator(attendee)
    meeting = get_meeting(session, attendee)
    meeting.ended_at = utcnow()
    session.add(meeting)
    audit_event(session, attendee, "meeting.ended")
    publish_after_commit(session, attendee.room, {"type": "ended"})
