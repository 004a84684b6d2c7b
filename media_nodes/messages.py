"""What a browser may say on the signaling socket: one message, parsed and checked.

Every accessor refuses (with SignalingError) what the protocol in session.py does not allow,
so the code acting on a message only ever sees well-formed values.
"""

from __future__ import annotations

import json
from typing import Any

from aiortc import RTCIceCandidate
from aiortc.sdp import candidate_from_sdp

MAX_SDP = 30_000
MAX_TOKEN = 4096
MAX_ID = 200
KINDS = ("audio", "video")
SOURCES = ("camera", "screen")


def feed_of(publisher: str, source: str) -> str:
    """The key of one subscription: a publisher's camera, or their screen."""
    return publisher if source == "camera" else f"{publisher}/{source}"


class SignalingError(Exception):
    """A message the node refuses; the participant gets ``code`` and the room goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Message:
    """One message from a browser: a JSON object with a string ``type``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.type: str = data["type"]

    @classmethod
    def parse(cls, text: str) -> Message:
        """The message in ``text``, else SignalingError("bad_message")."""
        try:
            data = json.loads(text)
        except ValueError:
            raise SignalingError("bad_message", "not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise SignalingError("bad_message", "a message is an object with a 'type'")
        return cls(data)

    def text(self, key: str, limit: int = MAX_ID) -> str:
        """A required non-empty string of at most ``limit`` characters."""
        value = self._data.get(key)
        if not isinstance(value, str) or not value or len(value) > limit:
            raise SignalingError("bad_message", f"'{key}' must be a non-empty string")
        return value

    def sdp(self) -> str:
        """The offer a publish or subscribe carries."""
        return self.text("sdp", MAX_SDP)

    def source(self) -> str:
        """ "camera" (the default) or "screen"."""
        source = self._data.get("source", "camera")
        if source not in SOURCES:
            raise SignalingError("bad_message", "'source' is camera or screen")
        return str(source)

    def receive(self) -> Any:
        """The video codecs a joining browser lists (checked by codecs.receivable)."""
        return self._data.get("receive")

    def mute(self) -> tuple[str, str, bool]:
        """(participant, kind, muted) of a mute message."""
        target = self.text("participant")
        kind = self._data.get("kind")
        muted = self._data.get("muted", True)
        if kind not in KINDS or not isinstance(muted, bool):
            raise SignalingError("bad_message", "'kind' is audio or video, 'muted' a boolean")
        return target, str(kind), muted

    def candidate(self) -> RTCIceCandidate | None:
        """The trickled ICE candidate (None: the browser's end of candidates)."""
        raw = self._data.get("candidate")
        if not isinstance(raw, dict) or not isinstance(raw.get("candidate"), str):
            raise SignalingError("bad_message", "'candidate' must be an RTCIceCandidateInit")
        line = raw["candidate"]
        if not line:
            return None
        try:
            candidate = candidate_from_sdp(line.removeprefix("candidate:"))
        except (ValueError, IndexError):
            raise SignalingError("bad_message", "unreadable ICE candidate") from None
        candidate.sdpMid = raw.get("sdpMid")
        candidate.sdpMLineIndex = raw.get("sdpMLineIndex")
        return candidate
