"""What one participant publishes: a peer connection per source and the tracks it carries.

A source is "camera" (camera and microphone) or "screen" (video only); each gets its own peer
connection, whose receivers forward without decoding (forwarding.py). The video codec is
chosen for the whole room when the source is published (codecs.py).
"""

from __future__ import annotations

from aiortc import RTCPeerConnection

from media_nodes import codecs, metrics
from media_nodes.forwarding import ForwardingReceiver, forward_only
from media_nodes.messages import KINDS, SignalingError
from media_nodes.negotiation import complete_answer, peer_connection, take_offer
from media_nodes.publication import Publication


class Publisher:
    """One participant's publishing peer connections and the publications they carry."""

    def __init__(self) -> None:
        self.publications: dict[str, Publication] = {}
        self._pcs: dict[str, RTCPeerConnection] = {}

    def peer_connection(self, source: str) -> RTCPeerConnection | None:
        """The peer connection publishing ``source``, if any (for trickled candidates)."""
        return self._pcs.get(source)

    async def publish(
        self, participant: str, source: str, sdp: str, receivers: list[frozenset[str]]
    ) -> tuple[str, list[Publication]]:
        """Take ``participant``'s offer for ``source``; ``receivers`` are the video codecs each
        participant of the room can receive. Returns the answer and the new publications."""
        if source in self._pcs:
            raise SignalingError("bad_message", "already publishing")
        pc = peer_connection()
        try:
            await take_offer(pc, sdp)
            forward_only(pc)
            video_codec = self._settle_video_codec(pc, receivers)
            answer = await complete_answer(pc)
        except SignalingError:
            await pc.close()
            raise
        self._pcs[source] = pc
        new: list[Publication] = []
        prefix = participant + ("" if source == "camera" else f":{source}")
        for transceiver in pc.getTransceivers():
            receiver = transceiver.receiver
            if transceiver.kind not in KINDS or not isinstance(receiver, ForwardingReceiver):
                continue
            if transceiver.kind in {p.kind for p in new}:
                continue  # one track of each kind per source
            publication = Publication(
                f"{prefix}:{transceiver.kind}",
                participant,
                transceiver.kind,
                receiver,
                source,
                video_codec if transceiver.kind == "video" else "",
            )
            self.publications[publication.id] = publication
            metrics.PUBLICATIONS.labels(transceiver.kind).inc()
            new.append(publication)
        return answer, new

    @staticmethod
    def _settle_video_codec(pc: RTCPeerConnection, receivers: list[frozenset[str]]) -> str:
        """The codec this publication's video uses, chosen for the whole room."""
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

    async def unpublish(self, source: str) -> bool:
        """Stop publishing ``source``: its publications end. False if it was not published."""
        pc = self._pcs.pop(source, None)
        if pc is None:
            return False
        for publication in [p for p in self.publications.values() if p.source == source]:
            self._end(publication)
        await pc.close()
        return True

    async def close(self) -> None:
        """End every publication and close every publishing peer connection."""
        for publication in list(self.publications.values()):
            self._end(publication)
        pcs = list(self._pcs.values())
        self._pcs.clear()
        for pc in pcs:
            await pc.close()

    def _end(self, publication: Publication) -> None:
        publication.end()
        del self.publications[publication.id]
        metrics.PUBLICATIONS.labels(publication.kind).dec()
