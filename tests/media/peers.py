"""Python WebRTC participants for media tests: join with a token, publish synthetic media,
subscribe to others (these peers do decode: they play the browsers' part)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack, VideoStreamTrack
from av import VideoFrame

from app.services import join_tokens

WIDTH, HEIGHT = 320, 240


class SyntheticCamera(VideoStreamTrack):
    """A 320x240 picture that changes every frame (so the encoder has work to do)."""

    def __init__(self) -> None:
        super().__init__()
        self.frames = 0

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(WIDTH, HEIGHT, "yuv420p")
        for index, plane in enumerate(frame.planes):
            shade = (self.frames * 7 + index * 60) % 255
            plane.update(bytes([shade]) * plane.buffer_size)
        frame.pts, frame.time_base = pts, time_base
        self.frames += 1
        return frame


def token_for(
    room: str, participant: str, role: str = "participant", presenter: str = "", **kw: Any
) -> str:
    """A join token as the app would issue it."""
    return join_tokens.issue(
        join_tokens.JoinGrant(room, participant, participant.title(), role, presenter), **kw
    )


class Peer:
    """One participant: a signaling websocket and its peer connections."""

    def __init__(self, node: str, session: aiohttp.ClientSession) -> None:
        self.node = node
        self.http = session
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.pcs: list[RTCPeerConnection] = []
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.ws = await self.http.ws_connect(self.node.replace("http", "ws") + "/ws")
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                await self.inbox.put(json.loads(message.data))
        await self.inbox.put({"type": "closed"})

    async def send(self, message: dict[str, Any] | str) -> None:
        assert self.ws is not None
        await self.ws.send_str(message if isinstance(message, str) else json.dumps(message))

    async def expect(self, kind: str, timeout: float = 10) -> dict[str, Any]:
        """The next message of type ``kind`` (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {kind!r} message")
            message = await asyncio.wait_for(self.inbox.get(), left)
            if message["type"] == kind:
                return message

    async def join(self, token: str, receive: list[str] | None = None) -> dict[str, Any]:
        """Join with ``token``; ``receive`` lists the video codecs this peer can receive."""
        await self.connect()
        await self.send(
            {"type": "join", "token": token, **({"receive": receive} if receive else {})}
        )
        return await self.expect("joined")

    async def publish(
        self, source: str = "camera", *, prefer: str | None = None
    ) -> SyntheticCamera:
        """Publish synthetic media (a screen share is video only); returns the camera.
        ``prefer`` (e.g. "video/H264") puts that codec first in the offer, as Safari does."""
        pc = RTCPeerConnection()
        self.pcs.append(pc)
        camera = SyntheticCamera()
        if source == "camera":
            pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
        video = pc.addTransceiver(camera, direction="sendonly")
        if prefer:
            codecs = RTCRtpSender.getCapabilities("video").codecs
            video.setCodecPreferences(
                sorted(codecs, key=lambda c: c.mimeType.lower() != prefer.lower())
            )
        await pc.setLocalDescription(await pc.createOffer())
        await self.send({"type": "publish", "source": source, "sdp": pc.localDescription.sdp})
        answer = await self.expect("publish-answer")
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
        return camera

    async def subscribe(
        self, publisher: str, source: str = "camera"
    ) -> dict[str, MediaStreamTrack]:
        """Receive ``publisher``'s audio and video (or screen); returns the tracks by kind."""
        pc = RTCPeerConnection()
        self.pcs.append(pc)
        if source == "camera":
            pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")
        tracks: dict[str, MediaStreamTrack] = {}
        pc.on("track", lambda track: tracks.__setitem__(track.kind, track))
        await pc.setLocalDescription(await pc.createOffer())
        await self.send(
            {
                "type": "subscribe",
                "publisher": publisher,
                "source": source,
                "sdp": pc.localDescription.sdp,
            }
        )
        answer = await self.expect("subscribe-answer")
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
        return tracks

    async def close(self) -> None:
        for pc in self.pcs:
            await pc.close()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()


async def next_frame(track: MediaStreamTrack, timeout: float) -> Any:
    """The next decoded frame of ``track``, or TimeoutError."""
    return await asyncio.wait_for(track.recv(), timeout)
