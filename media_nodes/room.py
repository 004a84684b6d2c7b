"""The rooms a node serves and who is in them (in memory: a room lives on one node)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from typing import TYPE_CHECKING, Any

from media_nodes import metrics

if TYPE_CHECKING:
    from media_nodes.publication import Publication
    from media_nodes.session import ParticipantSession


@dataclasses.dataclass
class Room:
    """Participants of one meeting on this node."""

    id: str
    participants: dict[str, ParticipantSession] = dataclasses.field(default_factory=dict)

    def publications(self) -> list[Publication]:
        """Every track published in the room."""
        return [p for s in self.participants.values() for p in s.publications.values()]

    def publications_of(self, participant: str) -> list[Publication]:
        """The tracks one participant publishes."""
        session = self.participants.get(participant)
        return list(session.publications.values()) if session else []

    async def broadcast(self, message: dict[str, Any], *, skip: str | None = None) -> None:
        """Tell every participant (but ``skip``) about a change in the room."""
        text = json.dumps(message)
        sends = [s.send_text(text) for pid, s in self.participants.items() if pid != skip]
        await asyncio.gather(*sends, return_exceptions=True)


class Rooms:
    """All rooms of this node."""

    def __init__(self) -> None:
        self._rooms: dict[str, Room] = {}

    def enter(self, room_id: str) -> Room:
        """The room, created on first use."""
        room = self._rooms.setdefault(room_id, Room(room_id))
        metrics.ROOMS.set(len(self._rooms))
        return room

    def leave_if_empty(self, room: Room) -> None:
        """Forget a room nobody is in any more."""
        if not room.participants:
            with contextlib.suppress(KeyError):
                del self._rooms[room.id]
        metrics.ROOMS.set(len(self._rooms))

    def summary(self) -> dict[str, int]:
        """Counts for /health and the registry heartbeat."""
        participants = sum(len(r.participants) for r in self._rooms.values())
        return {"rooms": len(self._rooms), "participants": participants}
