"""The media node's HTTP side: signaling websocket, health and Prometheus metrics."""

from __future__ import annotations

import logging

from aiohttp import WSMsgType, web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from media_nodes.forwarding import decoder_threads
from media_nodes.room import Rooms
from media_nodes.session import ParticipantSession

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024
ROOMS = web.AppKey("rooms", Rooms)


async def signaling(request: web.Request) -> web.WebSocketResponse:
    """One participant's signaling connection."""
    ws = web.WebSocketResponse(heartbeat=20, max_msg_size=MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    session = ParticipantSession(ws, request.app[ROOMS])
    try:
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await session.handle_text(message.data)
            elif message.type == WSMsgType.BINARY:
                await session.send({"type": "error", "code": "bad_message", "message": "text only"})
            else:
                break
    finally:
        await session.close()
    return ws


async def health(request: web.Request) -> web.Response:
    """200 with what the node carries; decoder_threads must stay 0 (the node never decodes)."""
    return web.json_response(
        {"status": "ok", **request.app[ROOMS].summary(), "decoder_threads": decoder_threads()}
    )


async def metrics(_request: web.Request) -> web.Response:
    """Prometheus text format."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_app() -> web.Application:
    """The node's aiohttp application."""
    app = web.Application()
    app[ROOMS] = Rooms()
    app.router.add_get("/ws", signaling)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app
