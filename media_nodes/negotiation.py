"""Offer in, answer out: the SDP steps publishing and subscribing share.

The browser always offers and the node answers; a broken offer is refused with "bad_sdp"
and the peer connection it was meant for is closed by the caller.
"""

from __future__ import annotations

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

from media_nodes.messages import SignalingError


def peer_connection() -> RTCPeerConnection:
    """A node-side peer connection (host candidates only: the node is reachable directly)."""
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


async def take_offer(pc: RTCPeerConnection, sdp: str) -> None:
    """Apply the browser's offer, which must carry audio or video."""
    if "\nm=audio " not in sdp and "\nm=video " not in sdp:
        raise SignalingError("bad_sdp", "the offer has no audio or video")
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
    except Exception as exc:  # aiortc raises ValueError and others for broken SDP
        raise SignalingError("bad_sdp", f"the offer is not valid SDP: {exc}"[:200]) from None


async def complete_answer(pc: RTCPeerConnection) -> str:
    """Create and apply the node's answer; returns its SDP."""
    try:
        answer = await pc.createAnswer()
        await pc.setLocalDescription(answer)
    except Exception as exc:
        raise SignalingError("bad_sdp", f"no answer fits the offer: {exc}"[:200]) from None
    return str(pc.localDescription.sdp)
