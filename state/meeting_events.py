"""Room events (chat, who came or went, admission, moderation, the end) applied to this
browser while it is in a room or its lobby: one background listener on the room bus per
browser, so the database is never polled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app.services import meeting_chat, room_bus
from state.guard import caller_of
from state.meeting import MeetingState
from state.meeting_access import RoomAccessState
from state.meeting_chat import MeetingChatState
from state.meeting_media import MediaBridgeState, room_script
from state.meeting_roster import RosterState


class RoomEventsState(rx.State):
    """The listener's bookkeeping (one per browser)."""

    _listening_to: str = ""  # the room whose events this browser receives ("" : none)

    @rx.event(background=True)
    async def listen(self) -> AsyncIterator[Any]:
        """Apply the room's events to this browser while it is in the room or its lobby.

        The page starts it when the lobby or the room shows; a second start for the same
        room is a no-op. A listener stops at its room's next event once the browser has
        left that room (or moved to another one), so it never delivers another room's chat.
        """
        async with self:
            room = (await self.get_state(RoomAccessState))._room
            if not room or self._listening_to == room:
                return
            self._listening_to = room
        try:
            async for event in room_bus.listen(room):
                async with self:
                    meeting = await self.get_state(MeetingState)
                    here = (await self.get_state(RoomAccessState))._room == room
                    if not here or meeting.phase not in ("room", "lobby"):
                        break
                    follow_up = await self._apply(meeting, event)
                if follow_up is not None:
                    yield follow_up
        finally:
            async with self:
                if self._listening_to == room:
                    self._listening_to = ""

    async def _apply(self, meeting: MeetingState, event: dict[str, Any]) -> EventSpec | None:
        kind, mine = event.get("type"), event.get("key") == meeting.my_key
        media = await self.get_state(MediaBridgeState)
        if kind == "ended":
            return await self._send_away(meeting, media, "meeting.ended")
        if meeting.phase == "lobby":
            if kind == "removed" and mine:
                return await self._send_away(meeting, media, "meeting.removed")
            if kind == "admitted" and mine:
                roster = await self.get_state(RosterState)
                chat = await self.get_state(MeetingChatState)
                return await meeting._admitted(media, roster, chat)
            return None
        if kind == "chat":
            line = meeting_chat.line_from_event(event["line"])
            chat = await self.get_state(MeetingChatState)
            chat._add(line, meeting.my_key, (await caller_of(self)).lang)
            return None
        if kind == "snapshot":
            if not mine:
                return None
            text = (await caller_of(self)).text("meeting.snapshot_notice")
            (await self.get_state(RosterState)).announcement = text
            return rx.toast.info(text)
        if kind == "muted" and mine:
            return media._muted_by_moderator()
        roster = await self.get_state(RosterState)
        await roster._reload()
        if roster.error:  # removed, or the meeting is gone
            meeting._close(roster.error)
            roster.error = ""
            return media._stop()
        if roster._knock:  # a guest waits: a short sound for the moderator
            roster._knock = False
            return room_script("knock")
        return None

    async def _send_away(
        self, meeting: MeetingState, media: MediaBridgeState, key: str
    ) -> EventSpec:
        meeting._close((await caller_of(self)).text(key))
        return media._stop()
