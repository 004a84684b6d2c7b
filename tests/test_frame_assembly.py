"""A media node releases a video frame at its last packet and audio at once (no added wait)."""

from __future__ import annotations

from aiortc.rtp import RtpPacket

from media_nodes.assembly import AudioPassThrough, VideoFrameAssembler


def rtp(seq: int, timestamp: int, data: bytes, *, marker: bool = False) -> RtpPacket:
    packet = RtpPacket(sequence_number=seq, timestamp=timestamp, marker=int(marker))
    packet._data = data  # type: ignore[attr-defined]  # what aiortc's depayload leaves
    return packet


def test_video_frame_is_released_at_its_marker_packet() -> None:
    assembler = VideoFrameAssembler()
    assert assembler.add(rtp(100, 3000, b"ab"))[1] is None
    assert assembler.add(rtp(101, 3000, b"cd"))[1] is None
    frame = assembler.add(rtp(102, 3000, b"ef", marker=True))[1]
    assert frame is not None and (frame.data, frame.timestamp) == (b"abcdef", 3000)
    second = assembler.add(rtp(103, 6000, b"gh", marker=True))[1]
    assert second is not None and second.data == b"gh"


def test_video_frame_with_a_missing_packet_is_not_released_at_the_marker() -> None:
    assembler = VideoFrameAssembler()
    assembler.add(rtp(200, 3000, b"ab"))
    assert assembler.add(rtp(202, 3000, b"ef", marker=True))[1] is None  # 201 lost
    late = assembler.add(rtp(201, 3000, b"cd"))[1]  # a retransmission fills the gap
    assert late is not None and late.data == b"abcdef"
    assert assembler.add(rtp(203, 6000, b"gh", marker=True))[1].data == b"gh"


def test_audio_packets_go_on_at_once_and_late_ones_are_dropped() -> None:
    passthrough = AudioPassThrough()
    first = passthrough.add(rtp(1, 960, b"x"))[1]
    assert first is not None and first.data == b"x"
    assert passthrough.add(rtp(3, 2880, b"z"))[1] is not None
    assert passthrough.add(rtp(2, 1920, b"y"))[1] is None
