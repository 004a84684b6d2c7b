"""The rooms a node serves and who is in them (in memory: a room lives on one node)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections.abc import Callable
from typing import Any, Protocol

from app.services.join_tokens import JoinGrant
from media_nodes import metrics
from media_nodes.join_ledger import JoinLedger
from media_nodes.publication import Publication


class Member(Protocol):
    """What a room needs of a participant's connection (a session.ParticipantSession)."""

    grant: JoinGrant | None
    receives: frozenset[str]  # the video codecs they can receive

    @property
    def publications(self) -> dict[str, Publication]: ...

    async def send(self, message: dict[str, Any]) -> None: ...

    async def send_text(self, text: str) -> None: ...

    async def unpublish(self, source: str) -> None: ...

    async def drop_subscription(self, feed: str) -> None: ...

    async def send_away(self) -> None: ...

    async def close(self) -> None: ...


@dataclasses.dataclass
class Room:
    """Participants of one meeting on this node."""

    id: str
    participants: dict[str, Member] = dataclasses.field(default_factory=dict)
    presenter: str = ""  # the one participant who may share a screen

    def publications(self) -> list[Publication]:
        """Every track published in the room."""
        return [p for s in self.participants.values() for p in s.publications.values()]

    def publications_of(self, participant: str, source: str | None = None) -> list[Publication]:
        """The tracks one participant publishes (from one source: camera or screen)."""
        session = self.participants.get(participant)
        if session is None:
            return []
        return [p for p in session.publications.values() if source in (None, p.source)]

    async def mute(self, participant: str, kind: str, muted: bool) -> bool:
        """Server-side mute of one participant's camera track ``kind``; False if none."""
        publication = next(
            (p for p in self.publications_of(participant, "camera") if p.kind == kind), None
        )
        if publication is None:
            return False
        publication.set_muted(muted)
        await self.broadcast({"type": "muted", "publication": publication.describe()})
        return True

    async def hand_presenter_to(self, participant: str) -> None:
        """Only ``participant`` may share a screen from now on; a running share of the
        previous presenter ends."""
        previous, self.presenter = self.presenter, participant
        session = self.participants.get(previous)
        if previous != participant and session is not None:
            await session.unpublish("screen")
        await self.broadcast({"type": "presenter", "participant": participant})

    async def broadcast(self, message: dict[str, Any], *, skip: str | None = None) -> None:
        """Tell every participant (but ``skip``) about a change in the room."""
        text = json.dumps(message)
        sends = [s.send_text(text) for pid, s in self.participants.items() if pid != skip]
        await asyncio.gather(*sends, return_exceptions=True)


Presence = Callable[[str, str, bool], None]


PROBE_ROOM_PREFIX = "probe-"  # the app names a network check's room so (media_pass)


class Rooms:
    """All rooms of this node.

    Args:
        on_presence: told (room, participant, online) when a participant's media connection
            comes up or goes away; the node reports it to the app.
        ledger: used join tokens and removals, which outlive a room (memory when None).
    """

    def __init__(
        self, on_presence: Presence | None = None, ledger: JoinLedger | None = None
    ) -> None:
        self._rooms: dict[str, Room] = {}
        self.on_presence: Presence = on_presence or (lambda _room, _who, _online: None)
        self.ledger = ledger or JoinLedger()

    def get(self, room_id: str) -> Room | None:
        """The room if this node serves it."""
        return self._rooms.get(room_id)

    def member(self, room_id: str, participant: str) -> Member | None:
        """The participant's connection if they are in the room on this node."""
        room = self._rooms.get(room_id)
        return room.participants.get(participant) if room is not None else None

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

    def probes(self) -> int:
        """Test center network checks running on this node (each alone in its own room)."""
        return sum(1 for room_id in self._rooms if room_id.startswith(PROBE_ROOM_PREFIX))

    def summary(self) -> dict[str, int]:
        """Counts for /health and the registry heartbeat."""
        participants = sum(len(r.participants) for r in self._rooms.values())
        return {"rooms": len(self._rooms), "participants": participants}
