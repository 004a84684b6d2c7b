"""The meeting page: entering (name, consent, devices), being in the room, leaving.

The browser's media is bridged by state.meeting_media; room events arrive through the
listener in state.meeting_events.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec
from sqlmodel import Session

from app import routes
from app.services import guard, meeting_entry, meeting_moderation, meetings
from app.services.media_pass import MediaPass, NoVideoServer
from state.guard import Caller, off_loop
from state.meeting_access import Attending, RoomAccessState, attending
from state.meeting_chat import MeetingChatState
from state.meeting_feedback import MeetingFeedbackState
from state.meeting_media import MediaBridgeState, room_script
from state.meeting_roster import RosterState
from state.tenant import TenantState


class MeetingState(rx.State):
    """Where this browser is in the meeting: the join screen, the lobby, the room, or out."""

    phase: str = "loading"  # loading | join | lobby | room | left | closed
    closed_text: str = ""
    error: str = ""
    title: str = ""
    my_key: str = ""
    is_moderator: bool = False
    needs_consent: bool = False
    guest_name: str = ""
    consent: bool = False
    privacy_href: str = ""  # the privacy notice a guest agrees to (the tenant's or the default)
    _notice_shown: str = ""  # its label, recorded with the consent

    # --- entering ------------------------------------------------------------------------------
    @rx.event
    async def load(self) -> EventSpec | None:
        """on_load: find the room and who this browser is in it (the host must sign in)."""
        access = await self.get_state(RoomAccessState)
        access._enter_from_url()
        self.phase, self.closed_text = "loading", ""
        if not access._link and not await off_loop(self, _signed_in):
            tenant = await self.get_state(TenantState)
            return rx.redirect(tenant._href(routes.LOGIN, next=self.router.url.path))
        media = await self.get_state(MediaBridgeState)
        await self._open(media)
        if self.error:
            self._close(self.error)
        return None

    @attending
    def _open(self, att: Attending, media: MediaBridgeState) -> None:
        door = meeting_entry.open_room(att.db, att.attendee)
        self.title, self.my_key = door.title, door.attendee.key
        self.is_moderator = door.attendee.is_moderator
        self.needs_consent, self.guest_name = door.needs_consent, door.attendee.name
        if door.notice is not None:
            self._notice_shown = door.notice.label
            self.privacy_href = door.notice.url or att.caller.tenant._href(routes.PRIVACY_NOTICE)
        media.mic_on = media.cam_on = door.media_on
        self.phase = "join"

    def _close(self, text: str) -> None:
        self.phase, self.closed_text, self.error = "closed", text, ""

    @rx.event
    def set_guest_name(self, value: str) -> None:
        """Typing one's name on the join screen."""
        self.guest_name = value[: meetings.NAME_LIMIT + 1]

    @rx.event
    def set_consent(self, value: bool) -> None:
        """Ticking the privacy notice."""
        self.consent = bool(value)

    @rx.event
    async def join(self, _form: dict[str, Any] | None = None) -> EventSpec | None:
        """Enter the room (or its lobby): record consent, then start the browser's media."""
        media = await self.get_state(MediaBridgeState)
        roster = await self.get_state(RosterState)
        chat = await self.get_state(MeetingChatState)
        return await self._join(media, roster, chat)

    @attending
    def _join(
        self, att: Attending, media: MediaBridgeState, roster: RosterState, chat: MeetingChatState
    ) -> EventSpec | None:
        entry = meeting_entry.enter_room(
            att.db,
            att.attendee,
            name=self.guest_name,
            consent=self.consent,
            notice_shown=self._notice_shown,
        )
        self.needs_consent = False
        if entry.media is None:
            self.phase = "lobby"
            return None
        entered = Attending(att.db, entry.attendee, att.caller, att.link)
        return self._show_room(entered, entry.media, media, roster, chat)

    @attending
    def _admitted(
        self, att: Attending, media: MediaBridgeState, roster: RosterState, chat: MeetingChatState
    ) -> EventSpec:
        """The moderator let this guest in from the lobby."""
        media_pass = meeting_entry.media_pass_for(att.db, att.attendee)
        return self._show_room(att, media_pass, media, roster, chat)

    def _show_room(
        self,
        att: Attending,
        media_pass: MediaPass,
        media: MediaBridgeState,
        roster: RosterState,
        chat: MeetingChatState,
    ) -> EventSpec:
        """Fill the room's lists and connect the browser's media (on joining or admission)."""
        roster._refresh(att)
        chat._load(att)
        self.phase = "room"
        return media._start(media_pass)

    # --- staying connected ------------------------------------------------------------------
    @rx.event
    async def reconnect(self) -> EventSpec | None:
        """The media connection dropped: a fresh pass (the room may be on another node now).

        Without a node right now the browser asks again in a moment; a refusal (removed, the
        meeting ended) ends the retries and closes the room for this browser.
        """
        media = await self.get_state(MediaBridgeState)
        if not media._in_room:
            return None
        media.connection = "reconnecting"
        config = await self._fresh_pass()
        if config:
            return room_script("reconnect", config)
        if self.error:
            self._close(self.error)
            return media._stop()
        return None

    @attending
    def _fresh_pass(self, att: Attending) -> dict[str, Any]:
        try:
            return meeting_entry.media_pass_for(att.db, att.attendee).as_config()
        except NoVideoServer:
            return {}

    # --- leaving ---------------------------------------------------------------------------------
    @rx.event
    async def leave(self) -> list[Any]:
        """Leave the room (the others go on)."""
        self.phase = "left"
        media = await self.get_state(MediaBridgeState)
        return [media._stop(), MeetingFeedbackState.prepare]

    @rx.event
    @attending
    def end_for_all(self, att: Attending) -> None:
        """The moderator ends the meeting for everyone."""
        meeting_moderation.end_meeting(att.db, att.attendee)

    @rx.event
    def rejoin(self) -> None:
        """Back to the join screen after leaving."""
        if self.phase == "left":
            self.phase = "join"


def _signed_in(db: Session, caller: Caller) -> bool:
    return guard.signed_in_here(db, caller.token, caller.tenant._tenant_id_in(db)) is not None
