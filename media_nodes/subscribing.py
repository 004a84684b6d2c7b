"""What one participant receives: a peer connection per remote feed (a publisher's camera, or
their screen), each sending that feed's publications as they arrive, never re-encoded."""

from __future__ import annotations

from aiortc import RTCPeerConnection

from media_nodes import codecs, metrics
from media_nodes.forwarding import forward_only
from media_nodes.messages import SignalingError
from media_nodes.negotiation import complete_answer, peer_connection, take_offer
from media_nodes.publication import ForwardedTrack, Publication


class Subscriber:
    """One participant's receiving peer connections, by feed."""

    def __init__(self) -> None:
        self._feeds: dict[str, tuple[RTCPeerConnection, list[ForwardedTrack]]] = {}

    def peer_connection(self, feed: str) -> RTCPeerConnection | None:
        """The peer connection receiving ``feed``, if any (for trickled candidates)."""
        subscription = self._feeds.get(feed)
        return subscription[0] if subscription else None

    async def subscribe(self, feed: str, publications: list[Publication], sdp: str) -> str:
        """Take the browser's offer to receive ``publications`` (one feed); returns the answer.

        A fresh subscription to a feed replaces the old one (the browser subscribes again
        after a republish)."""
        pc = peer_connection()
        tracks: list[ForwardedTrack] = []
        try:
            await take_offer(pc, sdp)
            for publication in publications:
                track = publication.subscribe()
                tracks.append(track)
                pc.addTrack(track)
            forward_only(pc)
            for transceiver in pc.getTransceivers():
                codec = next((p.codec for p in publications if p.kind == transceiver.kind), "")
                if codec and not codecs.restrict(transceiver, codec):
                    raise SignalingError("codec_unsupported", f"this feed is {codec} video")
            answer = await complete_answer(pc)
        except SignalingError:
            for track in tracks:
                track.publication.unsubscribe(track)
            await pc.close()
            raise
        await self.drop(feed)
        self._feeds[feed] = (pc, tracks)
        metrics.FORWARDED_STREAMS.inc(len(tracks))
        return answer

    async def drop(self, feed: str) -> None:
        """Stop receiving ``feed`` (it ended, or is subscribed again); nothing if not received."""
        subscription = self._feeds.pop(feed, None)
        if subscription is None:
            return
        pc, tracks = subscription
        for track in tracks:
            track.publication.unsubscribe(track)
        metrics.FORWARDED_STREAMS.dec(len(tracks))
        await pc.close()

    async def close(self) -> None:
        """Drop every feed."""
        for feed in list(self._feeds):
            await self.drop(feed)
