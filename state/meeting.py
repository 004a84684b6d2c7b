"""The meeting page: entering (name, consent, devices), being in the room, leaving.

The browser's media runs in assets/meeting_room.js; this state hands it a media pass and
hears back from it through a few hidden buttons (reconnect, connected, screen on/off).
Room events arrive through one background listener on the room bus.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app import routes
from app.services import media_pass, meeting_chat, meeting_moderation, meetings, room_bus
from state.locale import LocaleState
from state.meeting_access import Attending, RoomAccessState, attending
from state.meeting_chat import MeetingChatState
from state.meeting_feedback import MeetingFeedbackState
from state.meeting_roster import RosterState
from state.session import SessionState
from state.tenant import TenantState


def _script(call: str, argument: Any = None) -> EventSpec:
    payload = "" if argument is None else json.dumps(argument)
    return rx.call_script(f"window.consilioRoom && window.consilioRoom.{call}({payload})")


class MeetingState(rx.State):
    """Where this browser is in the meeting and what its media does."""

    phase: str = "loading"  # loading | join | lobby | room | left | closed
    closed_text: str = ""
    error: str = ""
    title: str = ""
    my_key: str = ""
    is_moderator: bool = False
    needs_consent: bool = False
    guest_name: str = ""
    consent: bool = False
    mic_on: bool = True
    cam_on: bool = True
    sharing: bool = False
    connection: str = "idle"  # idle | connecting | connected | reconnecting
    _listening: bool = False

    # --- entering ------------------------------------------------------------------------------
    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        """on_load: find the room and who this browser is in it."""
        access = await self.get_state(RoomAccessState)
        access.enter_from_url()
        self.phase, self.closed_text = "loading", ""
        if not access._link:
            tenant = await self.get_state(TenantState)
            session_state = await self.get_state(SessionState)
            if session_state._refresh(tenant.tenant_id) is None:
                return rx.redirect(tenant.href(routes.LOGIN, next=self.router.url.path))
        async with attending(self) as att:
            meeting = meetings.get_meeting(att.db, att.attendee)
            self.title = meeting.title
            self.my_key = att.attendee.key
            self.is_moderator = att.attendee.is_moderator
            self.needs_consent = not att.attendee.joined
            self.guest_name = att.attendee.name
            self.mic_on = self.cam_on = meetings.media_on_by_default(att.db, att.attendee)
            self.phase = "join"
        if self.error:
            self._close(self.error)
        return None

    def _close(self, text: str) -> None:
        self.phase, self.closed_text, self.error = "closed", text, ""
        self.connection = "idle"

    @rx.event
    def set_guest_name(self, value: str) -> None:
        """Typing one's name on the join screen."""
        self.guest_name = value[: meetings.NAME_LIMIT + 1]

    @rx.event
    def set_consent(self, value: bool) -> None:
        """Ticking the privacy notice."""
        self.consent = bool(value)

    @rx.event
    def set_mic_default(self, value: bool) -> None:
        """Enter with the microphone on or off."""
        self.mic_on = bool(value)

    @rx.event
    def set_cam_default(self, value: bool) -> None:
        """Enter with the camera on or off."""
        self.cam_on = bool(value)

    def _pass(self, att: Attending) -> dict[str, Any]:
        meeting = meetings.get_meeting(att.db, att.attendee)
        media = media_pass.issue_pass(att.attendee, presenter=meeting.presenter_key)
        return media.as_config()

    async def _enter_room(self, att: Attending) -> EventSpec:
        """Load the room and start the browser's media (after joining or being admitted)."""
        config = {**self._pass(att), "audio": self.mic_on, "video": self.cam_on}
        (await self.get_state(RosterState))._refresh(att)
        (await self.get_state(MeetingChatState))._load(att)
        self.phase, self.connection, self.sharing = "room", "connecting", False
        return _script("start", config)

    @rx.event
    async def join(self, _form: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
        """Enter the room (or its lobby): record consent, then start the browser's media."""
        start: EventSpec | None = None
        async with attending(self) as att:
            attendee = meetings.join(
                att.db, att.attendee, name=self.guest_name, consent=self.consent
            )
            self.needs_consent = False
            if not attendee.admitted:
                self.phase = "lobby"
            else:
                start = await self._enter_room(Attending(att.db, attendee, att.locale))
        if start is None and self.phase != "lobby":
            return None
        return [start, MeetingState.listen] if start else MeetingState.listen

    # --- what the browser's media reports (hidden buttons) ---------------------------------------
    @rx.event
    async def reconnect(self):  # type: ignore[no-untyped-def]
        """The media connection dropped: a fresh pass (the room may be on another node now)."""
        if self.phase != "room":
            return None
        self.connection = "reconnecting"
        config: dict[str, Any] = {}
        async with attending(self) as att:
            config = self._pass(att)
        self.error = ""  # no node right now: the browser asks again in a moment
        return _script("reconnect", config) if config else None

    @rx.event
    def media_connected(self) -> None:
        """The browser is connected to the node (again)."""
        if self.phase == "room":
            self.connection = "connected"

    @rx.event
    async def media_failed(self) -> None:
        """The browser got no camera or microphone (missing, or permission refused)."""
        locale = await self.get_state(LocaleState)
        self.error = locale.text("meeting.media_failed")

    @rx.event
    def screen_started(self) -> None:
        """The browser shares a screen."""
        self.sharing = True

    @rx.event
    def screen_ended(self) -> None:
        """The screen share ended (stopped here, in the browser's bar, or by the moderator)."""
        self.sharing = False

    # --- in the room ----------------------------------------------------------------------------
    @rx.event
    def toggle_mic(self):  # type: ignore[no-untyped-def]
        """Microphone on/off (off also stops it on the node)."""
        self.mic_on = not self.mic_on
        return _script("setMuted", ["audio", not self.mic_on])

    @rx.event
    def toggle_cam(self):  # type: ignore[no-untyped-def]
        """Camera on/off."""
        self.cam_on = not self.cam_on
        return _script("setMuted", ["video", not self.cam_on])

    @rx.event
    async def leave(self):  # type: ignore[no-untyped-def]
        """Leave the room (the others go on)."""
        self.phase, self.connection, self.sharing = "left", "idle", False
        return [_script("leave"), MeetingFeedbackState.prepare]

    @rx.event
    async def end_for_all(self) -> None:
        """The moderator ends the meeting for everyone."""
        async with attending(self) as att:
            meeting_moderation.end_meeting(att.db, att.attendee)

    @rx.event
    def rejoin(self) -> None:
        """Back to the join screen after leaving."""
        if self.phase == "left":
            self.phase = "join"

    # --- room events ----------------------------------------------------------------------------
    @rx.event(background=True)
    async def listen(self) -> AsyncIterator[Any]:
        """Apply the room's events to this browser while it is in the room."""
        async with self:
            if self._listening:
                return
            self._listening = True
            room = (await self.get_state(RoomAccessState)).room
        try:
            async for event in room_bus.listen(room):
                async with self:
                    if self.phase not in ("room", "lobby"):
                        break
                    follow_up = await self._apply(event)
                if follow_up is not None:
                    yield follow_up
        finally:
            async with self:
                self._listening = False

    async def _apply(self, event: dict[str, Any]) -> EventSpec | None:
        kind = event.get("type")
        if self.phase == "lobby":
            return await self._apply_in_lobby(event)
        if kind == "chat":
            line = meeting_chat.line_from_event(event["line"])
            chat = await self.get_state(MeetingChatState)
            locale = await self.get_state(LocaleState)
            chat._add(line, self.my_key, locale.lang or "en")
            return None
        if kind == "ended":
            return await self._send_away("meeting.ended")
        if kind == "snapshot":
            if event.get("key") != self.my_key:
                return None
            locale = await self.get_state(LocaleState)
            text = locale.text("meeting.snapshot_notice")
            (await self.get_state(RosterState)).announcement = text
            return rx.toast.info(text)
        if kind == "muted" and event.get("key") == self.my_key:
            self.mic_on = False
            return _script("setMuted", ["audio", True])
        roster = await self.get_state(RosterState)
        async with attending(roster) as att:
            roster._refresh(att)
        if roster.error:  # removed, or the meeting is gone
            self._close(roster.error)
            roster.error = ""
            return _script("leave")
        return None

    async def _apply_in_lobby(self, event: dict[str, Any]) -> EventSpec | None:
        """Waiting guests only hear whether they are let in, sent away, or the meeting ended."""
        kind, mine = event.get("type"), event.get("key") == self.my_key
        if kind == "ended":
            return await self._send_away("meeting.ended")
        if kind == "removed" and mine:
            return await self._send_away("meeting.removed")
        if kind == "admitted" and mine:
            async with attending(self) as att:
                return await self._enter_room(att)
        return None

    async def _send_away(self, key: str) -> EventSpec:
        locale = await self.get_state(LocaleState)
        self._close(locale.text(key))
        return _script("leave")
