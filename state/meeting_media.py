"""The bridge to the browser's media (assets/meeting_room.js): camera and microphone,
screen share, and the connection to the room's media node.

The script hears from this state through ``window.consilioRoom`` calls and answers through a
few hidden buttons (reconnect, connected, screen on/off, media failed).
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app.services.media_pass import MediaPass
from state.guard import caller_of


def room_script(call: str, argument: Any = None) -> EventSpec:
    """Call ``window.consilioRoom.<call>(argument)`` in the browser."""
    payload = "" if argument is None else json.dumps(argument)
    return rx.call_script(f"window.consilioRoom && window.consilioRoom.{call}({payload})")


class MediaBridgeState(rx.State):
    """Microphone, camera, screen share and connection of this browser in the room."""

    mic_on: bool = True
    cam_on: bool = True
    sharing: bool = False
    connection: str = "idle"  # idle | connecting | connected | reconnecting
    error: str = ""
    _in_room: bool = False

    def _start(self, media: MediaPass) -> EventSpec:
        """Connect the browser's media to the room's node (after joining or admission)."""
        config = media.as_config()
        self._in_room, self.connection, self.sharing = True, "connecting", False
        return room_script("start", {**config, "audio": self.mic_on, "video": self.cam_on})

    def _stop(self) -> EventSpec:
        """Disconnect the browser's media (left, removed, or the meeting ended)."""
        self._in_room, self.connection, self.sharing = False, "idle", False
        return room_script("leave")

    @rx.event
    def set_mic_default(self, value: bool) -> None:
        """Enter with the microphone on or off."""
        self.mic_on = bool(value)

    @rx.event
    def set_cam_default(self, value: bool) -> None:
        """Enter with the camera on or off."""
        self.cam_on = bool(value)

    @rx.event
    def media_connected(self) -> None:
        """The browser is connected to the node (again)."""
        if self._in_room:
            self.connection = "connected"

    @rx.event
    async def media_failed(self) -> None:
        """The browser got no camera or microphone (missing, or permission refused)."""
        self.error = (await caller_of(self)).text("meeting.media_failed")

    @rx.event
    def screen_started(self) -> None:
        """The browser shares a screen."""
        self.sharing = True

    @rx.event
    def screen_ended(self) -> None:
        """The screen share ended (stopped here, in the browser's bar, or by the moderator)."""
        self.sharing = False

    @rx.event
    def toggle_mic(self) -> EventSpec:
        """Microphone on/off (off also stops it on the node)."""
        self.mic_on = not self.mic_on
        return room_script("setMuted", ["audio", not self.mic_on])

    @rx.event
    def toggle_cam(self) -> EventSpec:
        """Camera on/off."""
        self.cam_on = not self.cam_on
        return room_script("setMuted", ["video", not self.cam_on])

    def _muted_by_moderator(self) -> EventSpec:
        self.mic_on = False
        return room_script("setMuted", ["audio", True])
