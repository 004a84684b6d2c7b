"""One participant's signaling connection to a node, and the peer connections it owns.

Protocol (JSON text messages on the websocket; the browser always offers, the node answers):

    -> {"type": "join", "token": T, "receive": ["video/VP8", "video/H264", ...]}
                                                <- {"type": "joined", "participant", "room",
                                                    "publications": [...], "participants": [...],
                                                    "iceServers": [...] (with TURN)}
    -> {"type": "publish", "source": S, "sdp": offer}
                                                <- {"type": "publish-answer", "source", "sdp"}
    -> {"type": "unpublish", "source": S}       <- {"type": "unpublished", "participant", "source"}
    -> {"type": "subscribe", "publisher": P, "source": S, "sdp": recvonly offer}
                                    <- {"type": "subscribe-answer", "publisher", "source", "sdp"}
    -> {"type": "candidate", "target": "publish[/screen]" | P[/screen], "candidate": C}
    -> {"type": "mute", "participant": P, "kind": "audio"|"video", "muted": bool}  (moderator)
    -> {"type": "leave"}
    <- {"type": "participant-joined" | "participant-left" | "published" | "muted"
              | "presenter" | "removed" | "replaced", ...}
    <- {"type": "republish", "source": S}   (publish S again: someone new cannot receive its
                                             codec, see codecs.py)
    <- {"type": "ice-servers", "iceServers": [...]}   (fresh TURN credentials, turn_renewal.py)
    <- {"type": "error", "code": ..., "message": ...}   (the connection stays up, except after
                                                         a refused join)

Nothing but "join" is accepted before a join. A join token is good for one join
(join_ledger.py); a browser that reconnects asks the app for a new one. A socket that has not
joined within CONSILIO_MEDIA_JOIN_DEADLINE_SECONDS, or sends too many messages, is closed
(socket_limits.py, applied in server.py).

A source S is "camera" (the default: camera and microphone) or "screen" (only the room's
presenter may publish it). A "probe" (the test center) is alone in a room of its own and
subscribes to its own feed; the node ends it after CONSILIO_MEDIA_PROBE_SECONDS.

Parsing lives in messages.py, the participant's publishing peer connections in publishing.py
and the receiving ones in subscribing.py; all of them forward only (forwarding.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from app.services import join_tokens
from app.settings import get_settings
from media_nodes import codecs, metrics
from media_nodes.join_ledger import LedgerUnavailable
from media_nodes.messages import MAX_TOKEN, SOURCES, Message, SignalingError, feed_of
from media_nodes.publication import Publication
from media_nodes.publishing import Publisher
from media_nodes.room import Room, Rooms
from media_nodes.subscribing import Subscriber
from media_nodes.turn_renewal import TurnRenewal

logger = logging.getLogger(__name__)

# A refused join closes the socket: the browser asks the app for a new pass (or stops).
JOIN_REFUSALS = (
    "token_invalid", "token_expired", "token_used", "removed", "unavailable", "busy"
)  # fmt: skip

Handler = Callable[[Message, join_tokens.JoinGrant, Room], Awaitable[None]]


class ParticipantSession:
    """A participant's signaling socket, and (once joined) their place in a room."""

    def __init__(self, ws: web.WebSocketResponse, rooms: Rooms) -> None:
        self.ws = ws
        self.rooms = rooms
        self.grant: join_tokens.JoinGrant | None = None
        self.receives: frozenset[str] = codecs.receivable(None)
        self.room: Room | None = None
        self.publisher = Publisher()
        self.subscriber = Subscriber()
        self._turn: TurnRenewal | None = None
        self._closed = False
        self._probe_end: asyncio.TimerHandle | None = None
        self._handlers: dict[str, Handler] = {
            "publish": self._publish,
            "unpublish": self._unpublish,
            "subscribe": self._subscribe,
            "candidate": self._candidate,
            "mute": self._mute,
            "leave": self._leave,
        }

    @property
    def joined(self) -> bool:
        """Whether the participant has joined a room (with a valid join token)."""
        return self.grant is not None

    @property
    def publications(self) -> dict[str, Publication]:
        """What this participant publishes, by publication id."""
        return self.publisher.publications

    # --- sending ----------------------------------------------------------------------------
    async def send_text(self, text: str) -> None:
        """Send one message unless the socket is gone."""
        if not self.ws.closed:
            await self.ws.send_str(text)

    async def send(self, message: dict[str, Any]) -> None:
        """Send one message (a dict) as JSON."""
        await self.send_text(json.dumps(message))

    # --- receiving --------------------------------------------------------------------------
    async def handle_text(self, text: str) -> None:
        """Act on one message; a bad one is answered with an error and changes nothing."""
        if self._closed:  # sent away or replaced: what was still on its way is dropped
            return
        try:
            message = Message.parse(text)
            if message.type == "join":
                await self._join(message)
                return
            if self.grant is None or self.room is None:
                raise SignalingError("not_joined", "join first")
            handler = self._handlers.get(message.type)
            if handler is None:
                raise SignalingError("bad_message", f"unknown type {message.type[:40]!r}")
            await handler(message, self.grant, self.room)
        except SignalingError as exc:
            await self._refuse(exc)
        except Exception:  # a bug must not drop the participant; the room goes on
            logger.exception("message from %s failed", self.grant and self.grant.participant)
            await self._refuse(SignalingError("internal", "the node could not handle that"))

    async def _refuse(self, exc: SignalingError) -> None:
        metrics.SIGNALING_ERRORS.labels(exc.code).inc()
        await self.send({"type": "error", "code": exc.code, "message": exc.message})
        if exc.code in JOIN_REFUSALS:
            await self.ws.close()

    # --- join -------------------------------------------------------------------------------
    async def _join(self, message: Message) -> None:
        if self.grant is not None:
            raise SignalingError("bad_message", "already joined")
        try:
            grant = join_tokens.verify(message.text("token", MAX_TOKEN))
        except join_tokens.JoinRefused as exc:
            code = "token_expired" if str(exc) == "expired" else "token_invalid"
            raise SignalingError(code, "the join link is not valid (any more)") from None
        ledger = self.rooms.ledger
        try:
            if await ledger.is_removed(grant.room, grant.participant):
                raise SignalingError("removed", "the moderator removed you from this meeting")
            if not await ledger.first_use(grant.token_id, grant.expires_at):
                raise SignalingError("token_used", "this join link was used already")
        except LedgerUnavailable:
            raise SignalingError("unavailable", "the node cannot take joins right now") from None
        # The same participant on another device leaves (looped: two devices may join at once).
        while previous := self.rooms.member(grant.room, grant.participant):
            await previous.send({"type": "replaced"})
            await previous.close()
        # Nothing is awaited from here until the participant is in the room, so a removal
        # arriving meanwhile either is seen here or finds them in the room.
        if ledger.removed_here(grant.room, grant.participant):
            raise SignalingError("removed", "the moderator removed you from this meeting")
        if grant.is_probe and self.rooms.probes() >= get_settings().media_probes_per_node:
            raise SignalingError("busy", "this node runs as many network tests as it can")
        # Entered (again) only now: closing the old device may have ended an empty room.
        room = self.rooms.enter(grant.room)
        opens_room = not room.participants
        self.grant, self.room = grant, room
        self.receives = codecs.receivable(message.receive())
        room.participants[grant.participant] = self
        # Who may present comes from the token of whoever opens the room here; after that
        # only from the moderator's commands (a token held from earlier cannot take it back).
        if grant.presenter and opens_room:
            room.presenter = grant.presenter
        metrics.PARTICIPANTS.inc()
        if grant.is_probe:  # a network test: ends by itself, nobody needs to know
            self._probe_end = asyncio.get_running_loop().call_later(
                get_settings().media_probe_seconds, lambda: asyncio.ensure_future(self.close())
            )
        else:
            self.rooms.on_presence(room.id, grant.participant, True)
            self._turn = TurnRenewal(grant.participant, self.send)
        await self.send(self._welcome(grant, room))
        if self._turn is not None:
            self._turn.start()
        await room.broadcast(
            {
                "type": "participant-joined",
                "participant": {"id": grant.participant, "name": grant.name, "role": grant.role},
            },
            skip=grant.participant,
        )
        await self._ask_for_receivable_codecs(room)

    def _welcome(self, grant: join_tokens.JoinGrant, room: Room) -> dict[str, Any]:
        welcome: dict[str, Any] = {
            "type": "joined",
            "room": room.id,
            "participant": grant.participant,
            "presenter": room.presenter,
            "publications": [p.describe() for p in room.publications()],
            "participants": [
                {"id": pid, "name": s.grant.name, "role": s.grant.role}
                for pid, s in room.participants.items()
                if s.grant is not None
            ],
        }
        ice_servers = self._turn.ice_servers() if self._turn is not None else []
        if ice_servers:  # fresher than the pass the browser got from the app
            welcome["iceServers"] = ice_servers
        return welcome

    async def _ask_for_receivable_codecs(self, room: Room) -> None:
        """Publishers whose codec this newcomer cannot receive publish again (then in a codec
        everyone can)."""
        for publication in room.publications():
            if publication.codec and publication.codec not in self.receives:
                publisher = room.participants.get(publication.participant)
                if publisher is not None and publisher is not self:
                    await publisher.send({"type": "republish", "source": publication.source})

    # --- media ------------------------------------------------------------------------------
    async def _publish(self, message: Message, grant: join_tokens.JoinGrant, room: Room) -> None:
        source, sdp = message.source(), message.sdp()
        if source == "screen" and room.presenter != grant.participant:
            raise SignalingError("forbidden", "only the presenter shares a screen")
        receivers = [s.receives for s in room.participants.values()]
        answer, new = await self.publisher.publish(grant.participant, source, sdp, receivers)
        await self.send({"type": "publish-answer", "source": source, "sdp": answer})
        for publication in new:
            await room.broadcast(
                {"type": "published", "publication": publication.describe()},
                skip=grant.participant,
            )

    async def _unpublish(
        self, message: Message, _grant: join_tokens.JoinGrant, _room: Room
    ) -> None:
        await self.unpublish(message.source())

    async def unpublish(self, source: str) -> None:
        """Stop publishing ``source`` (the presenter ends a screen share, or loses the right)."""
        room, grant = self.room, self.grant
        if room is None or grant is None or not await self.publisher.unpublish(source):
            return
        feed = feed_of(grant.participant, source)
        for other in list(room.participants.values()):
            await other.drop_subscription(feed)
        await room.broadcast(
            {"type": "unpublished", "participant": grant.participant, "source": source}
        )

    async def _subscribe(self, message: Message, _grant: join_tokens.JoinGrant, room: Room) -> None:
        publisher, source = message.text("publisher"), message.source()
        sdp = message.sdp()
        publications = room.publications_of(publisher, source)
        if not publications:
            raise SignalingError("unknown_publisher", "that participant publishes nothing")
        answer = await self.subscriber.subscribe(feed_of(publisher, source), publications, sdp)
        await self.send(
            {"type": "subscribe-answer", "publisher": publisher, "source": source, "sdp": answer}
        )

    async def drop_subscription(self, feed: str) -> None:
        """Stop receiving ``feed`` (it ended, or this participant subscribes again)."""
        await self.subscriber.drop(feed)

    async def _candidate(
        self, message: Message, _grant: join_tokens.JoinGrant, _room: Room
    ) -> None:
        target = message.text("target")
        candidate = message.candidate()
        if target.startswith("publish"):
            pc = self.publisher.peer_connection(target.partition("/")[2] or "camera")
        else:
            pc = self.subscriber.peer_connection(target)
        if pc is None:
            raise SignalingError("bad_message", "no such peer connection")
        if candidate is not None:  # None: the end of candidates
            await pc.addIceCandidate(candidate)

    async def _mute(self, message: Message, grant: join_tokens.JoinGrant, room: Room) -> None:
        target, kind, muted = message.mute()
        if grant.role != "moderator" and target != grant.participant:
            raise SignalingError("forbidden", "only the moderator mutes others")
        if not await room.mute(target, kind, muted):
            raise SignalingError("unknown_publisher", "that participant publishes no such track")

    async def _leave(self, _message: Message, _grant: join_tokens.JoinGrant, _room: Room) -> None:
        await self.ws.close()

    async def send_away(self) -> None:
        """The moderator removed this participant: tell the browser, then close."""
        if self._turn is not None:  # no fresh TURN credentials from now on
            await self._turn.stop()
        await self.send({"type": "removed"})
        await self.close()

    # --- leaving ----------------------------------------------------------------------------
    async def close(self) -> None:
        """Leave the room: end publications and subscriptions, close the socket.

        Safe to call more than once and while others leave at the same time: the room is left
        (and the app told) before anything is awaited, and every loop that awaits walks a copy.
        """
        if self._closed:
            return
        self._closed = True
        if self._probe_end is not None:
            self._probe_end.cancel()
        room, grant = self.room, self.grant
        if (
            room is not None
            and grant is not None
            and room.participants.get(grant.participant) is self
        ):
            del room.participants[grant.participant]
            metrics.PARTICIPANTS.dec()
            if not grant.is_probe:
                self.rooms.on_presence(room.id, grant.participant, False)
            self.rooms.leave_if_empty(room)
        else:
            room = None  # never in the room, or already replaced by a new device
        try:
            if self._turn is not None:
                await self._turn.stop()
            await self.subscriber.close()
            await self.publisher.close()
            if room is not None and grant is not None:
                for other in list(room.participants.values()):
                    for source in SOURCES:
                        await other.drop_subscription(feed_of(grant.participant, source))
        finally:
            if room is not None and grant is not None:
                await room.broadcast({"type": "participant-left", "participant": grant.participant})
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), timeout=2)
