"""Turn aiortc's receivers and senders into forwarders: no decoder, no encoder.

aiortc's RTCRtpReceiver reassembles encoded frames in its jitter buffer and hands each to a
decoder thread; its RTCRtpSender encodes raw frames, or only packetizes ``av.Packet``s. A
forwarding receiver starts no decoder thread and gives each encoded frame, on the event loop,
to its ``frame_sink``. A forwarding sender passes keyframe requests (PLI/FIR) from its
subscriber to the track it sends, which asks the publisher (see publication.py), since there
is no encoder of ours to make a keyframe.

The swap is per peer connection (``forward_only``): the objects aiortc made are given the
subclass, before they start, so nothing else in the process changes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from aiortc import RTCPeerConnection, RTCRtpReceiver, RTCRtpSender
from aiortc.rtcrtpparameters import RTCRtpCodecParameters, RTCRtpReceiveParameters

from media_nodes.assembly import AudioPassThrough, VideoFrameAssembler

FrameSink = Callable[[RTCRtpCodecParameters, Any], None]


class _FrameTap:
    """Stands where the decoder queue was: frames go to the receiver's sink at once."""

    def __init__(self, receiver: ForwardingReceiver) -> None:
        self._receiver = receiver

    def put(self, item: tuple[RTCRtpCodecParameters, Any] | None) -> None:
        if item is None:
            if self._receiver.on_end is not None:
                self._receiver.on_end()
            return
        sink = self._receiver.frame_sink
        if sink is not None:
            codec, frame = item
            sink(codec, frame)


class _NoDecoder:
    """Stands where the decoder thread was (aiortc joins it when the receiver stops)."""

    name = "no-decoder"

    def join(self) -> None:
        return None


class ForwardingReceiver(RTCRtpReceiver):
    """A receiver whose encoded frames go to ``frame_sink`` instead of a decoder thread."""

    frame_sink: FrameSink | None = None
    on_end: Callable[[], None] | None = None

    async def receive(self, parameters: RTCRtpReceiveParameters) -> None:
        """Like RTCRtpReceiver.receive, without starting a decoder thread."""
        if self._RTCRtpReceiver__started:  # type: ignore[attr-defined,has-type]
            return
        for codec in parameters.codecs:
            self._RTCRtpReceiver__codecs[codec.payloadType] = codec  # type: ignore[attr-defined]
        for encoding in parameters.encodings:
            if encoding.rtx:
                self._RTCRtpReceiver__rtx_ssrc[encoding.rtx.ssrc] = encoding.ssrc  # type: ignore[attr-defined]
        kind = self._RTCRtpReceiver__kind  # type: ignore[attr-defined]
        self._RTCRtpReceiver__jitter_buffer = (
            VideoFrameAssembler() if kind == "video" else AudioPassThrough()
        )
        self._RTCRtpReceiver__decoder_queue = _FrameTap(self)
        self._RTCRtpReceiver__decoder_thread = _NoDecoder()
        self._RTCRtpReceiver__transport._register_rtp_receiver(self, parameters)  # type: ignore[attr-defined]
        self._RTCRtpReceiver__rtcp_task = asyncio.ensure_future(self._run_rtcp())
        self._RTCRtpReceiver__started = True

    def publisher_ssrc(self) -> int | None:
        """The SSRC the publisher sends on most recently (for keyframe requests)."""
        active: dict[int, Any] = self._RTCRtpReceiver__active_ssrc  # type: ignore[attr-defined]
        if not active:
            return None
        return max(active, key=lambda ssrc: active[ssrc])

    async def request_keyframe(self) -> bool:
        """Send a PLI to the publisher; False when it has not sent anything yet."""
        ssrc = self.publisher_ssrc()
        if ssrc is None:
            return False
        await self._send_rtcp_pli(ssrc)
        return True


class ForwardingSender(RTCRtpSender):
    """A sender that asks its track for a keyframe when the subscriber reports picture loss."""

    def _send_keyframe(self) -> None:
        wants = getattr(self.track, "keyframe_wanted", None)
        if wants is not None:
            wants()
        else:
            super()._send_keyframe()


def forward_only(pc: RTCPeerConnection) -> None:
    """Make every transceiver ``pc`` has now forward instead of decode/encode.

    Call after ``setRemoteDescription`` (which creates the transceivers of an offer) and
    before ``setLocalDescription`` (which starts them)."""
    for transceiver in pc.getTransceivers():
        if type(transceiver.receiver) is RTCRtpReceiver:
            transceiver.receiver.__class__ = ForwardingReceiver
        if type(transceiver.sender) is RTCRtpSender:
            transceiver.sender.__class__ = ForwardingSender


def decoder_threads() -> int:
    """How many aiortc decoder threads run in this process (a media node's must be 0)."""
    return sum(1 for t in threading.enumerate() if t.name.endswith("-decoder"))
