"""What the node reads about video codecs: who can receive what, and which H.264 frames start
a picture."""

from __future__ import annotations

import pytest
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

from media_nodes.codecs import H264, VP8, receivable
from media_nodes.publication import is_keyframe

H264_CODEC = RTCRtpCodecParameters(mimeType="video/H264", clockRate=90000, payloadType=102)


def test_a_participant_that_says_nothing_receives_vp8_only() -> None:
    assert receivable(None) == {VP8}
    assert receivable("video/H264") == {VP8}
    assert receivable(["video/h264", "video/AV1", 7, "video/rtx"]) == {VP8, H264}


@pytest.mark.parametrize("nal_header", [0x65, 0x45, 0x25])  # IDR with nal_ref_idc 3, 2, 1
def test_h264_frame_with_an_idr_slice_is_a_keyframe_whatever_its_priority(
    nal_header: int,
) -> None:
    sps_pps = b"\x00\x00\x00\x01\x67\x42\x00\x1f" + b"\x00\x00\x00\x01\x68\xce\x3c\x80"
    frame = sps_pps + b"\x00\x00\x01" + bytes([nal_header]) + b"\x88\x84\x00"
    assert is_keyframe(H264_CODEC, frame)


def test_h264_frame_of_only_non_idr_slices_is_not_a_keyframe() -> None:
    frame = b"\x00\x00\x00\x01\x41\x9a\x02" + b"\x00\x00\x01\x01\x9e\x04"  # type 1 slices
    assert not is_keyframe(H264_CODEC, frame)
    assert not is_keyframe(H264_CODEC, b"\x00\x00\x01")  # a start code and nothing else
