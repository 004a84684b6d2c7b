"""The media node's HTTP side: signaling websocket, health and Prometheus metrics."""

from __future__ import annotations

import logging

from aiohttp import WSMsgType, web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.services import media_signals
from media_nodes.forwarding import decoder_threads
from media_nodes.room import Presence, Rooms
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


async def control(request: web.Request) -> web.Response:
    """A command the app signed: hand over the presenter role, remove or mute a participant."""
    try:
        room_id, action, args = media_signals.verify_command(await request.text())
    except media_signals.SignalRefused as exc:
        logger.warning("refused a control command: %s", exc)
        return web.json_response({"error": "refused"}, status=403)
    room = request.app[ROOMS].get(room_id)
    if room is None:  # not (or no longer) served here: nothing to change
        return web.json_response({"applied": False})
    participant = str(args.get("participant", ""))
    applied = True
    if action == "presenter":
        await room.hand_presenter_to(participant)
    elif action == "remove":
        room.removed.add(participant)
        session = room.participants.get(participant)
        if session is not None:
            await session.send_away()
    elif action == "mute":
        applied = await room.mute(participant, str(args.get("kind")), bool(args.get("muted")))
    return web.json_response({"applied": applied})


async def health(request: web.Request) -> web.Response:
    """200 with what the node carries; decoder_threads must stay 0 (the node never decodes)."""
    return web.json_response(
        {"status": "ok", **request.app[ROOMS].summary(), "decoder_threads": decoder_threads()}
    )


async def metrics(_request: web.Request) -> web.Response:
    """Prometheus text format."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_app(on_presence: Presence | None = None) -> web.Application:
    """The node's aiohttp application."""
    app = web.Application(client_max_size=16 * 1024)
    app[ROOMS] = Rooms(on_presence)
    app.router.add_get("/ws", signaling)
    app.router.add_post("/control", control)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app
