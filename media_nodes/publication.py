"""One published track and the tracks that forward it to each subscriber.

Frames arrive encoded from the publisher's ForwardingReceiver. For every frame one ``av.Packet``
is made and handed to every subscriber's ForwardedTrack; their senders only packetize it. A new
video subscriber waits for a keyframe and asks the publisher for one (rate-limited), as does a
subscriber whose decoder reports picture loss. A muted publication forwards nothing.
"""

from __future__ import annotations

import asyncio
import fractions
import logging
import time
from typing import Any

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from media_nodes import metrics
from media_nodes.forwarding import ForwardingReceiver

logger = logging.getLogger(__name__)

KEYFRAME_REQUEST_INTERVAL = 0.3  # seconds between PLIs to one publisher
QUEUE_FRAMES = 60  # per subscriber; older frames are dropped when a subscriber lags


def is_keyframe(codec: RTCRtpCodecParameters, data: bytes) -> bool:
    """Whether an encoded frame can be decoded on its own (audio frames always can)."""
    name = codec.mimeType.lower()
    if name == "video/vp8":
        return bool(data) and not data[0] & 0x01  # RFC 6386 9.1: P bit 0 = key frame
    if name == "video/h264":
        return H264_IDR in h264_nal_types(data)
    return not name.startswith("video/")


H264_IDR = 5  # nal_unit_type of an IDR picture (H.264 table 7-1)


def h264_nal_types(data: bytes) -> set[int]:
    """The NAL unit types in an Annex B frame (aiortc's depayloader adds the start codes)."""
    types = set()
    start = data.find(b"\x00\x00\x01")
    while start != -1 and start + 3 < len(data):
        types.add(data[start + 3] & 0x1F)
        start = data.find(b"\x00\x00\x01", start + 3)
    return types


class Publication:
    """A track one participant publishes into the room."""

    def __init__(
        self,
        publication_id: str,
        participant: str,
        kind: str,
        receiver: ForwardingReceiver,
        source: str = "camera",
        codec: str = "",
    ) -> None:
        self.id = publication_id
        self.codec = codec  # the video codec its subscribers must receive (media_nodes/codecs)
        self.participant = participant
        self.kind = kind
        self.source = source
        self.muted = False
        self.subscribers: set[ForwardedTrack] = set()
        self._receiver = receiver
        self._last_keyframe_request = 0.0
        self._ended = False
        self._pending: set[asyncio.Future[bool]] = set()
        receiver.frame_sink = self.on_frame
        receiver.on_end = self.end

    def describe(self) -> dict[str, Any]:
        """What other participants learn about this publication."""
        return {
            "id": self.id,
            "participant": self.participant,
            "kind": self.kind,
            "source": self.source,
            "muted": self.muted,
            "codec": self.codec,
        }

    def on_frame(self, codec: RTCRtpCodecParameters, frame: Any) -> None:
        """An encoded frame from the publisher (on the event loop)."""
        if self.muted or not self.subscribers:
            return
        packet = av.Packet(frame.data)
        packet.pts = frame.timestamp
        packet.time_base = fractions.Fraction(1, codec.clockRate)
        keyframe = is_keyframe(codec, frame.data)
        for track in tuple(self.subscribers):
            track.push(packet, keyframe)
        metrics.FRAMES_FORWARDED.labels(self.kind).inc(len(self.subscribers))

    def request_keyframe(self) -> None:
        """Ask the publisher for a keyframe, at most every KEYFRAME_REQUEST_INTERVAL."""
        if self.kind != "video" or self._ended:
            return
        now = time.monotonic()
        if now - self._last_keyframe_request < KEYFRAME_REQUEST_INTERVAL:
            return
        self._last_keyframe_request = now
        metrics.KEYFRAME_REQUESTS.inc()
        task = asyncio.ensure_future(self._receiver.request_keyframe())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def subscribe(self) -> ForwardedTrack:
        """A new track forwarding this publication to one subscriber."""
        track = ForwardedTrack(self)
        self.subscribers.add(track)
        self.request_keyframe()
        return track

    def unsubscribe(self, track: ForwardedTrack) -> None:
        """Stop forwarding to ``track``."""
        self.subscribers.discard(track)
        track.finish()

    def set_muted(self, muted: bool) -> None:
        """Server-side mute: stop (or resume) forwarding; resuming video needs a keyframe."""
        self.muted = muted
        if not muted:
            for track in self.subscribers:
                track.wait_for_keyframe()
            self.request_keyframe()

    def end(self) -> None:
        """The publisher left: every subscriber's track ends."""
        self._ended = True
        for track in tuple(self.subscribers):
            self.unsubscribe(track)


class ForwardedTrack(MediaStreamTrack):
    """The track a subscriber's sender reads: encoded packets of one publication."""

    def __init__(self, publication: Publication) -> None:
        super().__init__()
        self.kind = publication.kind
        self.publication = publication
        self._queue: asyncio.Queue[av.Packet | None] = asyncio.Queue(maxsize=QUEUE_FRAMES)
        self._needs_keyframe = publication.kind == "video"

    def wait_for_keyframe(self) -> None:
        """Drop frames until the next keyframe (after a mute, or on joining)."""
        if self.kind == "video":
            self._needs_keyframe = True

    def push(self, packet: av.Packet, keyframe: bool) -> None:
        """A frame for this subscriber; dropped while a keyframe is awaited.

        A subscriber that falls QUEUE_FRAMES behind loses its backlog: audio drops the oldest
        frame, video starts again at the next keyframe (a gap would only show as artefacts).
        """
        if self._queue.full():
            if self.kind == "video":
                dropped = self._queue.qsize()
                while not self._queue.empty():
                    self._queue.get_nowait()
                self.wait_for_keyframe()
            else:
                dropped = 1
                self._queue.get_nowait()
            metrics.FRAMES_DROPPED.labels(self.kind).inc(dropped)
        if self._needs_keyframe:
            if not keyframe:
                self.publication.request_keyframe()
                return
            self._needs_keyframe = False
        self._queue.put_nowait(packet)

    def keyframe_wanted(self) -> None:
        """The subscriber's decoder lost a picture (PLI/FIR): ask the publisher."""
        self.publication.request_keyframe()

    def finish(self) -> None:
        """No more frames will come."""
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    async def recv(self) -> av.Packet:  # type: ignore[override]
        """The next packet to packetize (the sender calls this)."""
        if self.readyState != "live":
            raise MediaStreamError
        packet = await self._queue.get()
        if packet is None:
            self.stop()
            raise MediaStreamError
        return packet
