"""Which video codec a room's publications use, and keeping each subscription on it.

The node forwards encoded frames, so a subscriber must receive exactly the codec its
publisher sends. A room uses H.264 when the publisher offers it and every participant in the
room can receive it (each browser says so at join); otherwise VP8, which every WebRTC browser
can send and receive. aiortc would otherwise pick by the order of each offer: a Safari
publisher preferring H.264 and a Chrome subscriber preferring VP8 would get mismatched
codecs and a black picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiortc import RTCRtpTransceiver
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

VP8, H264 = "video/VP8", "video/H264"
KNOWN = {VP8.lower(): VP8, H264.lower(): H264}


def receivable(declared: Any) -> frozenset[str]:
    """The video codecs a participant can receive, from the ``receive`` list of its join
    message (unknown names ignored); VP8 alone when it said nothing."""
    if not isinstance(declared, list):
        return frozenset({VP8})
    names = {KNOWN[n.lower()] for n in declared[:50] if isinstance(n, str) and n.lower() in KNOWN}
    return frozenset(names | {VP8})


def _codecs(transceiver: RTCRtpTransceiver) -> list[RTCRtpCodecParameters]:
    return list(transceiver._codecs)  # type: ignore[attr-defined]


def offered(transceiver: RTCRtpTransceiver) -> set[str]:
    """The video codecs both sides can use on ``transceiver`` (after the remote offer)."""
    return {KNOWN[c.mimeType.lower()] for c in _codecs(transceiver) if c.mimeType.lower() in KNOWN}


def choose(transceiver: RTCRtpTransceiver, receivers: Iterable[frozenset[str]]) -> str | None:
    """The codec a new publication uses: H.264 if it is offered and everyone in the room can
    receive it, else VP8 if offered; None when nothing fits."""
    available = offered(transceiver)
    if H264 in available and all(H264 in r for r in receivers):
        return H264
    return VP8 if VP8 in available else None


def restrict(transceiver: RTCRtpTransceiver, mime: str) -> bool:
    """Negotiate only ``mime`` (and its retransmission format) on ``transceiver``; False when
    the remote side did not offer it. Call between setRemoteDescription and createAnswer."""
    codecs = _codecs(transceiver)
    chosen = [c for c in codecs if c.mimeType.lower() == mime.lower()][:1]
    if not chosen:
        return False
    retransmission = [
        c
        for c in codecs
        if c.mimeType.lower() == "video/rtx" and c.parameters.get("apt") == chosen[0].payloadType
    ]
    transceiver._codecs = chosen + retransmission  # type: ignore[attr-defined]
    return True
