"""One participant's signaling connection to a node, and the peer connections it owns.

Protocol (JSON text messages on the websocket; the browser always offers, the node answers):

    -> {"type": "join", "token": T, "receive": ["video/VP8", "video/H264", ...]}
                                                <- {"type": "joined", "participant", "room",
                                                    "publications": [...], "participants": [...]}
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
    <- {"type": "error", "code": ..., "message": ...}   (the connection stays up)

A source S is "camera" (the default: camera and microphone) or "screen" (only the room's
presenter may publish it). A "probe" (the test center) is alone in a room of its own and
subscribes to its own feed; the node ends it after CONSILIO_MEDIA_PROBE_SECONDS.

One peer connection per source publishes the participant's
tracks; one per remote feed (publisher + source) receives them. All of them forward only
(see forwarding.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from app.services import join_tokens
from app.settings import get_settings
from media_nodes import codecs, metrics
from media_nodes.forwarding import ForwardingReceiver, forward_only
from media_nodes.publication import ForwardedTrack, Publication
from media_nodes.room import Room, Rooms

logger = logging.getLogger(__name__)

MAX_SDP = 30_000
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


def _text(message: dict[str, Any], key: str, limit: int) -> str:
    value = message.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise SignalingError("bad_message", f"'{key}' must be a non-empty string")
    return value


def _source(message: dict[str, Any]) -> str:
    source = message.get("source", "camera")
    if source not in SOURCES:
        raise SignalingError("bad_message", "'source' is camera or screen")
    return str(source)


class ParticipantSession:
    """A joined participant: their websocket, publications and subscriptions."""

    def __init__(self, ws: web.WebSocketResponse, rooms: Rooms) -> None:
        self.ws = ws
        self.rooms = rooms
        self.grant: join_tokens.JoinGrant | None = None
        self.receives: frozenset[str] = codecs.receivable(None)
        self.room: Room | None = None
        self.publications: dict[str, Publication] = {}
        self._publish_pcs: dict[str, RTCPeerConnection] = {}
        self._subscriptions: dict[str, tuple[RTCPeerConnection, list[ForwardedTrack]]] = {}
        self._closed = False
        self._probe_end: asyncio.TimerHandle | None = None

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
        try:
            try:
                message = json.loads(text)
            except ValueError:
                raise SignalingError("bad_message", "not JSON") from None
            if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                raise SignalingError("bad_message", "a message is an object with a 'type'")
            await self._dispatch(message)
        except SignalingError as exc:
            await self._refuse(exc)
        except Exception:  # a bug must not drop the participant; the room goes on
            logger.exception("message from %s failed", self.grant and self.grant.participant)
            await self._refuse(SignalingError("internal", "the node could not handle that"))

    async def _refuse(self, exc: SignalingError) -> None:
        metrics.SIGNALING_ERRORS.labels(exc.code).inc()
        await self.send({"type": "error", "code": exc.code, "message": exc.message})
        if exc.code in ("token_invalid", "token_expired"):
            await self.ws.close()

    async def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "join":
            await self._join(_text(message, "token", 4096), message.get("receive"))
            return
        if self.grant is None or self.room is None:
            raise SignalingError("not_joined", "join first")
        if kind == "publish":
            await self._publish(_source(message), _text(message, "sdp", MAX_SDP))
        elif kind == "unpublish":
            await self.unpublish(_source(message))
        elif kind == "subscribe":
            publisher = _text(message, "publisher", 200)
            await self._subscribe(publisher, _source(message), _text(message, "sdp", MAX_SDP))
        elif kind == "candidate":
            await self._candidate(message)
        elif kind == "mute":
            await self._mute(message)
        elif kind == "leave":
            await self.ws.close()
        else:
            raise SignalingError("bad_message", f"unknown type {kind[:40]!r}")

    # --- join -------------------------------------------------------------------------------
    async def _join(self, token: str, receive: Any) -> None:
        if self.grant is not None:
            raise SignalingError("bad_message", "already joined")
        try:
            grant = join_tokens.verify(token)
        except join_tokens.JoinRefused as exc:
            code = "token_expired" if str(exc) == "expired" else "token_invalid"
            raise SignalingError(code, "the join link is not valid (any more)") from None
        existing = self.rooms.get(grant.room)
        if existing is not None and grant.participant in existing.removed:
            raise SignalingError("removed", "the moderator removed you from this meeting")
        previous = self.rooms.enter(grant.room).participants.get(grant.participant)
        if previous is not None:  # the same participant on a new device: the old one leaves
            await previous.send({"type": "replaced"})
            await previous.close()
        # Entered (again) only now: closing the old device may have ended an empty room.
        room = self.rooms.enter(grant.room)
        self.grant, self.room = grant, room
        self.receives = codecs.receivable(receive)
        room.participants[grant.participant] = self
        if grant.presenter:
            room.presenter = grant.presenter
        metrics.PARTICIPANTS.inc()
        if grant.is_probe:  # a network test: ends by itself, nobody needs to know
            self._probe_end = asyncio.get_running_loop().call_later(
                get_settings().media_probe_seconds, lambda: asyncio.ensure_future(self.close())
            )
        else:
            self.rooms.on_presence(room.id, grant.participant, True)
        await self.send(
            {
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
        )
        await room.broadcast(
            {
                "type": "participant-joined",
                "participant": {"id": grant.participant, "name": grant.name, "role": grant.role},
            },
            skip=grant.participant,
        )
        await self._ask_for_receivable_codecs(room)

    async def _ask_for_receivable_codecs(self, room: Room) -> None:
        """Publishers whose codec this newcomer cannot receive publish again (then in a codec
        everyone can)."""
        for publication in room.publications():
            if publication.codec and publication.codec not in self.receives:
                publisher = room.participants.get(publication.participant)
                if publisher is not None and publisher is not self:
                    await publisher.send({"type": "republish", "source": publication.source})

    # --- media ------------------------------------------------------------------------------
    def _new_pc(self) -> RTCPeerConnection:
        return RTCPeerConnection(RTCConfiguration(iceServers=[]))

    @staticmethod
    async def _take_offer(pc: RTCPeerConnection, sdp: str) -> None:
        if "\nm=audio " not in sdp and "\nm=video " not in sdp:
            raise SignalingError("bad_sdp", "the offer has no audio or video")
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        except Exception as exc:  # aiortc raises ValueError and others for broken SDP
            raise SignalingError("bad_sdp", f"the offer is not valid SDP: {exc}"[:200]) from None

    @staticmethod
    async def _complete_answer(pc: RTCPeerConnection) -> str:
        try:
            answer = await pc.createAnswer()
            await pc.setLocalDescription(answer)
        except Exception as exc:
            raise SignalingError("bad_sdp", f"no answer fits the offer: {exc}"[:200]) from None
        return pc.localDescription.sdp

    async def _publish(self, source: str, sdp: str) -> None:
        assert self.grant is not None and self.room is not None
        if source == "screen" and self.room.presenter != self.grant.participant:
            raise SignalingError("forbidden", "only the presenter shares a screen")
        if source in self._publish_pcs:
            raise SignalingError("bad_message", "already publishing")
        pc = self._new_pc()
        try:
            await self._take_offer(pc, sdp)
            forward_only(pc)
            video_codec = self._settle_video_codec(pc)
            answer = await self._complete_answer(pc)
        except SignalingError:
            await pc.close()
            raise
        self._publish_pcs[source] = pc
        new: list[Publication] = []
        for transceiver in pc.getTransceivers():
            receiver = transceiver.receiver
            if transceiver.kind not in KINDS or not isinstance(receiver, ForwardingReceiver):
                continue
            if transceiver.kind in {p.kind for p in new}:
                continue  # one track of each kind per source
            prefix = self.grant.participant + ("" if source == "camera" else f":{source}")
            publication = Publication(
                f"{prefix}:{transceiver.kind}",
                self.grant.participant,
                transceiver.kind,
                receiver,
                source,
                video_codec if transceiver.kind == "video" else "",
            )
            self.publications[publication.id] = publication
            metrics.PUBLICATIONS.labels(transceiver.kind).inc()
            new.append(publication)
        await self.send({"type": "publish-answer", "source": source, "sdp": answer})
        for publication in new:
            await self.room.broadcast(
                {"type": "published", "publication": publication.describe()},
                skip=self.grant.participant,
            )

    def _settle_video_codec(self, pc: RTCPeerConnection) -> str:
        """The codec this publication's video uses, chosen for the whole room."""
        assert self.room is not None
        receivers = [s.receives for s in self.room.participants.values()]
        chosen = ""
        for transceiver in pc.getTransceivers():
            if transceiver.kind != "video":
                continue
            codec = codecs.choose(transceiver, receivers)
            if codec is None:
                raise SignalingError("codec_unsupported", "send VP8 (or H.264) video")
            codecs.restrict(transceiver, codec)
            chosen = chosen or codec
        return chosen

    async def unpublish(self, source: str) -> None:
        """Stop publishing ``source`` (the presenter ends a screen share, or loses the right)."""
        assert self.grant is not None and self.room is not None
        pc = self._publish_pcs.pop(source, None)
        if pc is None:
            return
        for publication in [p for p in self.publications.values() if p.source == source]:
            publication.end()
            del self.publications[publication.id]
            metrics.PUBLICATIONS.labels(publication.kind).dec()
        await pc.close()
        feed = feed_of(self.grant.participant, source)
        for other in list(self.room.participants.values()):
            await other.drop_subscription(feed)
        await self.room.broadcast(
            {"type": "unpublished", "participant": self.grant.participant, "source": source}
        )

    async def _subscribe(self, publisher: str, source: str, sdp: str) -> None:
        assert self.room is not None
        publications = self.room.publications_of(publisher, source)
        if not publications:
            raise SignalingError("unknown_publisher", "that participant publishes nothing")
        pc = self._new_pc()
        tracks: list[ForwardedTrack] = []
        try:
            await self._take_offer(pc, sdp)
            for publication in publications:
                track = publication.subscribe()
                tracks.append(track)
                pc.addTrack(track)
            forward_only(pc)
            for transceiver in pc.getTransceivers():
                codec = next((p.codec for p in publications if p.kind == transceiver.kind), "")
                if codec and not codecs.restrict(transceiver, codec):
                    raise SignalingError("codec_unsupported", f"this feed is {codec} video")
            answer = await self._complete_answer(pc)
        except SignalingError:
            for track in tracks:
                track.publication.unsubscribe(track)
            await pc.close()
            raise
        feed = feed_of(publisher, source)
        await self.drop_subscription(feed)  # a fresh subscription replaces the old one
        self._subscriptions[feed] = (pc, tracks)
        metrics.FORWARDED_STREAMS.inc(len(tracks))
        await self.send(
            {"type": "subscribe-answer", "publisher": publisher, "source": source, "sdp": answer}
        )

    async def drop_subscription(self, feed: str) -> None:
        """Stop receiving ``feed`` (it ended, or this participant subscribes again)."""
        if feed in self._subscriptions:
            await self._unsubscribe(feed)

    async def _unsubscribe(self, feed: str) -> None:
        subscription = self._subscriptions.pop(feed, None)
        if subscription is None:  # dropped meanwhile (the publisher left while we did)
            return
        pc, tracks = subscription
        for track in tracks:
            track.publication.unsubscribe(track)
        metrics.FORWARDED_STREAMS.dec(len(tracks))
        await pc.close()

    async def _candidate(self, message: dict[str, Any]) -> None:
        target = _text(message, "target", 200)
        raw = message.get("candidate")
        if not isinstance(raw, dict) or not isinstance(raw.get("candidate"), str):
            raise SignalingError("bad_message", "'candidate' must be an RTCIceCandidateInit")
        if target.startswith("publish"):
            pc = self._publish_pcs.get(target.partition("/")[2] or "camera")
        else:
            pc = self._subscriptions.get(target, (None,))[0]
        if pc is None:
            raise SignalingError("bad_message", "no such peer connection")
        line = raw["candidate"]
        if not line:  # end of candidates
            return
        try:
            candidate = candidate_from_sdp(line.removeprefix("candidate:"))
        except (ValueError, IndexError):
            raise SignalingError("bad_message", "unreadable ICE candidate") from None
        candidate.sdpMid = raw.get("sdpMid")
        candidate.sdpMLineIndex = raw.get("sdpMLineIndex")
        await pc.addIceCandidate(candidate)

    async def _mute(self, message: dict[str, Any]) -> None:
        assert self.grant is not None and self.room is not None
        target = _text(message, "participant", 200)
        if self.grant.role != "moderator" and target != self.grant.participant:
            raise SignalingError("forbidden", "only the moderator mutes others")
        kind = message.get("kind")
        muted = message.get("muted", True)
        if kind not in KINDS or not isinstance(muted, bool):
            raise SignalingError("bad_message", "'kind' is audio or video, 'muted' a boolean")
        if not await self.room.mute(target, str(kind), muted):
            raise SignalingError("unknown_publisher", "that participant publishes no such track")

    async def send_away(self) -> None:
        """The moderator removed this participant: tell the browser, then close."""
        assert self.grant is not None and self.room is not None
        self.room.removed.add(self.grant.participant)
        await self.send({"type": "removed"})
        await self.close()

    async def _end_media(self) -> None:
        for publication in list(self.publications.values()):
            publication.end()
            metrics.PUBLICATIONS.labels(publication.kind).dec()
        self.publications.clear()
        publish_pcs = list(self._publish_pcs.values())
        self._publish_pcs.clear()
        for feed in list(self._subscriptions):
            await self.drop_subscription(feed)
        for pc in publish_pcs:
            await pc.close()

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
        left = (
            room is not None
            and grant is not None
            and room.participants.get(grant.participant) is self
        )
        if left:
            assert room is not None and grant is not None
            del room.participants[grant.participant]
            metrics.PARTICIPANTS.dec()
            if not grant.is_probe:
                self.rooms.on_presence(room.id, grant.participant, False)
            self.rooms.leave_if_empty(room)
        try:
            await self._end_media()
            if left:
                assert room is not None and grant is not None
                for other in list(room.participants.values()):
                    for source in SOURCES:
                        await other.drop_subscription(feed_of(grant.participant, source))
        finally:
            if left:
                assert room is not None and grant is not None
                await room.broadcast({"type": "participant-left", "participant": grant.participant})
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), timeout=2)
