"""Who is in the room, who presents, whose hand is up; the moderator's actions on them."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from app.services import media_control, meeting_moderation, meetings
from state.meeting_access import Attending, attending


def _row(view: meetings.ParticipantView, me: str) -> dict[str, str]:
    return {
        "key": view.key,
        "name": view.name,
        "role": view.role,
        "online": "yes" if view.online else "",
        "hand": "yes" if view.hand_raised else "",
        "presenter": "yes" if view.presenter else "",
        "me": "yes" if view.key == me else "",
    }


class RosterState(rx.State):
    """The participants list of the room (refreshed on room events, never polled)."""

    participants: list[dict[str, str]] = []
    waiting: list[dict[str, str]] = []
    presenter_key: str = ""
    locked: bool = False
    hand_raised: bool = False
    announcement: str = ""
    error: str = ""

    def _refresh(self, att: Attending) -> None:
        """Reload the list; announce who came or went (for screen readers too)."""
        me = att.attendee.key
        before = {p["key"]: p for p in self.participants if p["online"]}
        rows = [_row(v, me) for v in meetings.list_participants(att.db, att.attendee)]
        meeting = meetings.get_meeting(att.db, att.attendee)
        self.participants = rows
        waiting_before = {w["key"] for w in self.waiting}
        self.waiting = [_row(v, me) for v in meeting_moderation.list_waiting(att.db, att.attendee)]
        newcomers = [w["name"] for w in self.waiting if w["key"] not in waiting_before]
        self.presenter_key = meeting.presenter_key or ""
        self.locked = meeting.locked
        self.hand_raised = any(r["hand"] for r in rows if r["me"])
        after = {r["key"]: r for r in rows if r["online"]}
        if newcomers:
            self.announcement = att.text("meeting.notice_waiting", name=", ".join(newcomers))
        elif before:  # not on the first load
            came = [r["name"] for k, r in after.items() if k not in before and k != me]
            went = [r["name"] for k, r in before.items() if k not in after and k != me]
            if came:
                self.announcement = att.text("meeting.notice_joined", name=", ".join(came))
            elif went:
                self.announcement = att.text("meeting.notice_left", name=", ".join(went))

    @rx.event
    async def toggle_hand(self) -> None:
        """Raise or lower one's own hand."""
        async with attending(self) as att:
            meetings.raise_hand(att.db, att.attendee, not self.hand_raised)
            self.hand_raised = not self.hand_raised

    @rx.event
    async def lower_hand(self, key: str) -> None:
        """The moderator lowers someone's hand."""
        async with attending(self) as att:
            meeting_moderation.lower_hand_of(att.db, att.attendee, key)

    @rx.event
    async def admit(self, key: str) -> None:
        """The moderator lets a waiting guest in."""
        async with attending(self) as att:
            meeting_moderation.admit(att.db, att.attendee, key)
            self.waiting = [w for w in self.waiting if w["key"] != key]

    async def _moderate(
        self, decide: Callable[[Attending], None], action: str, **args: object
    ) -> None:
        """Record the moderator's decision, then have the room's media node enforce it."""
        room = ""
        async with attending(self) as att:
            decide(att)
            room = att.attendee.room
        if room and not self.error:
            await media_control.command(room, action, **args)

    @rx.event
    async def make_presenter(self, key: str) -> None:
        """The moderator hands the right to share a screen to ``key``."""
        await self._moderate(
            lambda att: meeting_moderation.set_presenter(att.db, att.attendee, key),
            "presenter",
            participant=key,
        )

    @rx.event
    async def remove(self, key: str) -> None:
        """The moderator sends ``key`` out of the meeting (their link stops working)."""
        await self._moderate(
            lambda att: meeting_moderation.remove_participant(att.db, att.attendee, key),
            "remove",
            participant=key,
        )

    @rx.event
    async def mute(self, key: str) -> None:
        """The moderator mutes ``key``'s microphone on the media node."""
        await self._moderate(
            lambda att: meeting_moderation.mute_participant(att.db, att.attendee, key),
            "mute",
            participant=key,
            kind="audio",
            muted=True,
        )

    @rx.event
    async def toggle_lock(self) -> None:
        """The moderator locks the room for newcomers, or opens it again."""
        async with attending(self) as att:
            meeting_moderation.set_locked(att.db, att.attendee, not self.locked)
            self.locked = not self.locked
