"""Entering a meeting room: everything a browser needs to be in it, in one call.

The join screen asks :func:`open_room` what to show; joining (:func:`enter_room`) records the
guest's name and consent and, once they are let in, hands out the media pass for the room's
node; :func:`media_pass_for` gives a fresh pass when the browser reconnects or is admitted
from the lobby.
"""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from app.services import media_pass, meetings
from app.services.media_pass import MediaPass
from app.services.meetings import Attendee


@dataclasses.dataclass(frozen=True)
class RoomDoor:
    """What the join screen shows before someone enters."""

    title: str
    attendee: Attendee
    needs_consent: bool
    media_on: bool  # camera and microphone on when entering (the tenant's default)


@dataclasses.dataclass(frozen=True)
class RoomEntry:
    """The outcome of joining: who entered, and their media pass (None while in the lobby)."""

    attendee: Attendee
    media: MediaPass | None  # None: the guest waits in the lobby until let in


def open_room(session: Session, attendee: Attendee) -> RoomDoor:
    """The room's title and what the join screen needs for ``attendee``."""
    meeting = meetings.get_meeting(session, attendee)
    return RoomDoor(
        title=meeting.title,
        attendee=attendee,
        needs_consent=not attendee.joined,
        media_on=meetings.media_on_by_default(session, attendee),
    )


def media_pass_for(session: Session, attendee: Attendee) -> MediaPass:
    """A fresh pass into the attendee's room (with who may present right now).

    Raises:
        AccessDenied: ``meeting.waiting`` while the guest waits in the lobby.
        NoVideoServer: no media node can take the room right now.
    """
    meeting = meetings.get_meeting(session, attendee)
    return media_pass.issue_pass(attendee, presenter=meeting.presenter_key)


def enter_room(session: Session, attendee: Attendee, *, name: str, consent: bool) -> RoomEntry:
    """Join the room (name and consent recorded for guests) and get in, or into the lobby.

    Raises:
        InvalidInput: no consent, no name, or the room is locked for newcomers.
        NoVideoServer: no media node can take the room right now.
    """
    joined = meetings.join(session, attendee, name=name, consent=consent)
    if not joined.admitted:
        return RoomEntry(joined, None)
    return RoomEntry(joined, media_pass_for(session, joined))
