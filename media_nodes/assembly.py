"""Frame assembly for forwarding, without the waiting a decoder's jitter buffer does.

aiortc's JitterBuffer releases a frame only when a packet of the *next* frame arrives (and
audio after a prefetch of several packets): right for a decoder, but on a node it would add a
frame interval to every video frame and tens of milliseconds to audio. Here a video frame is
released as soon as its last packet (RTP marker bit) is in and nothing before it is missing;
the next frame's first packet still completes it otherwise, as before. Each audio packet is a
frame of its own (Opus) and goes on at once.
"""

from __future__ import annotations

from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket
from aiortc.utils import uint16_add, uint32_gt


class VideoFrameAssembler(JitterBuffer):
    """A JitterBuffer that also completes a frame at its marker packet."""

    def __init__(self) -> None:
        super().__init__(capacity=512, is_video=True)
        self._waiting_marker: RtpPacket | None = None  # last packet of a frame with a gap

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        pli_flag, frame = super().add(packet)
        if packet.marker:
            self._waiting_marker = packet
        if frame is None and self._waiting_marker is not None:
            frame = self._complete_at(self._waiting_marker)
            if frame is not None:
                self._waiting_marker = None
        elif (
            frame is not None
            and self._waiting_marker is not None
            and frame.timestamp == self._waiting_marker.timestamp
        ):
            self._waiting_marker = None
        return pli_flag, frame

    def _complete_at(self, last: RtpPacket) -> JitterFrame | None:
        if self._origin is None:
            return None
        count = uint16_add(last.sequence_number, -self._origin) + 1
        if count > self.capacity:  # that frame was dropped or released already
            self._waiting_marker = None
            return None
        parts = []
        for index in range(count):
            packet = self._packets[(self._origin + index) % self.capacity]
            if packet is None or packet.timestamp != last.timestamp:
                return None  # a packet is missing, or an older frame is still incomplete
            parts.append(packet._data)  # type: ignore[attr-defined]
        self.remove(count)
        return JitterFrame(data=b"".join(parts), timestamp=last.timestamp)


class AudioPassThrough:
    """Every audio packet is a frame; late packets (older than the last one sent) are dropped."""

    capacity = 1

    def __init__(self) -> None:
        self._last: int | None = None

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        if self._last is not None and not uint32_gt(packet.timestamp, self._last):
            return False, None
        self._last = packet.timestamp
        return False, JitterFrame(data=packet._data, timestamp=packet.timestamp)  # type: ignore[attr-defined]
