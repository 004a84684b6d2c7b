"""Entering a meeting room: everything a browser needs to be in it, in one call.

The join screen asks :func:`open_room` what to show; joining (:func:`enter_room`) records the
guest's name and consent and, once they are let in, hands out the media pass for the room's
node; :func:`media_pass_for` gives a fresh pass when the browser reconnects or is admitted
from the lobby.

Consent is to a privacy notice the guest can read (app/services/privacy_notice.py): without
one a guest is not let in, and a consent records the notice the join screen showed.
"""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from app.services import media_pass, meetings, privacy_notice
from app.services.errors import InvalidInput
from app.services.media_pass import MediaPass
from app.services.meetings import Attendee
from app.services.privacy_notice import PrivacyNotice


@dataclasses.dataclass(frozen=True)
class RoomDoor:
    """What the join screen shows before someone enters."""

    title: str
    attendee: Attendee
    needs_consent: bool
    media_on: bool  # camera and microphone on when entering (the tenant's default)
    notice: PrivacyNotice | None = None  # what a guest agrees to (None: no consent asked)


@dataclasses.dataclass(frozen=True)
class RoomEntry:
    """The outcome of joining: who entered, and their media pass (None while in the lobby)."""

    attendee: Attendee
    media: MediaPass | None  # None: the guest waits in the lobby until let in


def open_room(session: Session, attendee: Attendee) -> RoomDoor:
    """The room's title and what the join screen needs for ``attendee``.

    Raises:
        InvalidInput: ``meeting.no_privacy_notice`` for someone who has yet to consent
            while the tenant has no privacy notice for them to read.
    """
    meeting = meetings.get_meeting(session, attendee)
    needs_consent = not attendee.joined
    notice = (
        privacy_notice.require_notice(session, attendee.tenant_id, "meeting.no_privacy_notice")
        if needs_consent
        else None
    )
    return RoomDoor(
        title=meeting.title,
        attendee=attendee,
        needs_consent=needs_consent,
        media_on=meetings.media_on_by_default(session, attendee),
        notice=notice,
    )


def media_pass_for(session: Session, attendee: Attendee) -> MediaPass:
    """A fresh pass into the attendee's room (with who may present right now).

    Raises:
        AccessDenied: ``meeting.waiting`` while the guest waits in the lobby.
        NoVideoServer: no media node can take the room right now.
    """
    meeting = meetings.get_meeting(session, attendee)
    return media_pass.issue_pass(attendee, presenter=meeting.presenter_key)


def enter_room(
    session: Session, attendee: Attendee, *, name: str, consent: bool, notice_shown: str = ""
) -> RoomEntry:
    """Join the room (name and consent recorded for guests) and get in, or into the lobby.

    ``notice_shown`` is the label of the privacy notice the join screen showed
    (``RoomDoor.notice``); a guest's consent counts only for the tenant's current notice.

    Raises:
        InvalidInput: no consent, no name, the room is locked for newcomers, the tenant has
            no privacy notice, or it changed since the join screen showed it.
        NoVideoServer: no media node can take the room right now.
    """
    label = None
    if not attendee.joined:
        notice = privacy_notice.require_notice(
            session, attendee.tenant_id, "meeting.no_privacy_notice"
        )
        if consent and notice.label != notice_shown:
            raise InvalidInput("meeting.notice_changed")
        label = notice.label
    joined = meetings.join(session, attendee, name=name, consent=consent, notice=label)
    if not joined.admitted:
        return RoomEntry(joined, None)
    return RoomEntry(joined, media_pass_for(session, joined))
