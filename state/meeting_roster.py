"""Who is in the room, who presents, whose hand is up; the moderator's actions on them."""

from __future__ import annotations

import reflex as rx

from app.services import meeting_moderation, meetings
from components.meeting_panels import ParticipantRow
from state.meeting_access import Attending, attending


def _row(view: meetings.ParticipantView, me: str) -> ParticipantRow:
    return ParticipantRow(
        key=view.key,
        name=view.name,
        role=view.role,
        online=view.online,
        hand=view.hand_raised,
        presenter=view.presenter,
        me=view.key == me,
    )


class RosterState(rx.State):
    """The participants list of the room (refreshed on room events, never polled)."""

    participants: list[ParticipantRow] = []
    waiting: list[ParticipantRow] = []
    expected: list[ParticipantRow] = []  # invited or let in, not connected (shown when alone)
    presenter_key: str = ""
    locked: bool = False
    hand_raised: bool = False
    announcement: str = ""
    error: str = ""
    _knock: bool = False  # a guest just came into the lobby: the moderator's page chimes

    def _refresh(self, att: Attending) -> None:
        """Reload the lists; announce who came, went or raised a hand (the page's live region
        reads it to screen readers) and knock when a guest starts waiting."""
        me = att.attendee.key
        before = {p.key: p for p in self.participants if p.online}
        hands_before = {p.key for p in self.participants if p.hand}
        rows = [_row(v, me) for v in meetings.list_participants(att.db, att.attendee)]
        meeting = meetings.get_meeting(att.db, att.attendee)
        self.participants = rows
        self.expected = [_row(v, me) for v in meetings.list_expected(att.db, att.attendee)]
        waiting_before = {w.key for w in self.waiting}
        self.waiting = [_row(v, me) for v in meeting_moderation.list_waiting(att.db, att.attendee)]
        newcomers = [w.name for w in self.waiting if w.key not in waiting_before]
        self.presenter_key = meeting.presenter_key or ""
        self.locked = meeting.locked
        self.hand_raised = any(r.hand for r in rows if r.me)
        after = {r.key: r for r in rows if r.online}
        self._knock = bool(newcomers)
        if newcomers:
            self._announce(att.text("meeting.notice_waiting", name=", ".join(newcomers)))
        elif before:  # not on the first load
            came = [r.name for k, r in after.items() if k not in before and k != me]
            went = [r.name for k, r in before.items() if k not in after and k != me]
            hands = [r.name for r in rows if r.hand and r.key not in hands_before and not r.me]
            if came:
                self._announce(att.text("meeting.notice_joined", name=", ".join(came)))
            elif went:
                self._announce(att.text("meeting.notice_left", name=", ".join(went)))
            elif hands:
                self._announce(att.text("meeting.notice_hand", name=", ".join(hands)))

    def _announce(self, text: str) -> None:
        """Say ``text`` in the live region; the same news twice still changes the region's
        text (a screen reader reads only changes)."""
        self.announcement = text if self.announcement != text else text + "\u00a0"

    @attending
    def _reload(self, att: Attending) -> None:
        """Reload after a room event (the listener calls this)."""
        self._refresh(att)

    @rx.event
    @attending
    def toggle_hand(self, att: Attending) -> None:
        """Raise or lower one's own hand."""
        meetings.raise_hand(att.db, att.attendee, not self.hand_raised)
        self.hand_raised = not self.hand_raised

    @rx.event
    @attending
    def lower_hand(self, att: Attending, key: str) -> None:
        """The moderator lowers someone's hand."""
        meeting_moderation.lower_hand_of(att.db, att.attendee, key)

    @rx.event
    @attending
    def admit(self, att: Attending, key: str) -> None:
        """The moderator lets a waiting guest in."""
        meeting_moderation.admit(att.db, att.attendee, key)
        self.waiting = [w for w in self.waiting if w.key != key]

    @rx.event
    @attending
    def make_presenter(self, att: Attending, key: str) -> None:
        """The moderator hands the right to share a screen to ``key``."""
        meeting_moderation.set_presenter(att.db, att.attendee, key)

    @rx.event
    @attending
    def remove(self, att: Attending, key: str) -> None:
        """The moderator sends ``key`` out of the meeting (their link stops working)."""
        meeting_moderation.remove_participant(att.db, att.attendee, key)

    @rx.event
    @attending
    def mute(self, att: Attending, key: str) -> None:
        """The moderator mutes ``key``'s microphone on the media node."""
        meeting_moderation.mute_participant(att.db, att.attendee, key)

    @rx.event
    @attending
    def toggle_lock(self, att: Attending) -> None:
        """The moderator locks the room for newcomers, or opens it again."""
        meeting_moderation.set_locked(att.db, att.attendee, not self.locked)
        self.locked = not self.locked
