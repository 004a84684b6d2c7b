"""The media node's HTTP side: signaling websocket, control commands, health, metrics."""

from __future__ import annotations

import logging

import redis.asyncio as aioredis
from aiohttp import WSMsgType, web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.services import media_signals, rate_limits
from app.settings import Settings, get_settings
from media_nodes.admission import Admission
from media_nodes.forwarding import decoder_threads
from media_nodes.join_ledger import JoinLedger, LedgerUnavailable
from media_nodes.room import Presence, Rooms
from media_nodes.session import ParticipantSession
from media_nodes.socket_limits import JOIN_DEADLINE_PASSED, TOO_MANY_MESSAGES, SocketLimits

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024
ROOMS = web.AppKey("rooms", Rooms)
ADMISSION = web.AppKey("admission", Admission)


async def signaling(request: web.Request) -> web.StreamResponse:
    """One participant's signaling connection (refused with 429 when the caller's address
    holds too many already)."""
    admission = request.app[ADMISSION]
    # Counted as the web tier counts: the client behind trusted proxies, IPv6 per /64.
    peer = rate_limits.client_address(
        request.remote or "", request.headers.get("X-Forwarded-For", "")
    )
    address = rate_limits.address_key(peer)
    if not admission.admit(address):
        logger.warning(
            "refused a signaling socket from %s: %s open already", address, admission.per_address
        )
        return web.Response(status=429, text="too many connections from this address")
    try:
        ws = web.WebSocketResponse(heartbeat=20, max_msg_size=MAX_MESSAGE_BYTES)
        await ws.prepare(request)
        session = ParticipantSession(ws, request.app[ROOMS])
        try:
            await _converse(ws, session, address)
        finally:
            await session.close()
        return ws
    finally:
        admission.release(address)


async def _converse(ws: web.WebSocketResponse, session: ParticipantSession, address: str) -> None:
    """Hand each message to the session, within the socket's limits."""
    settings = get_settings()
    limits = SocketLimits(
        settings.media_join_deadline_seconds,
        settings.media_socket_messages_per_second,
        settings.media_socket_message_burst,
    )
    while True:
        wait = None if session.joined else limits.time_to_join()
        try:
            if wait is not None and wait <= 0:
                raise TimeoutError
            message = await ws.receive(timeout=wait)
        except TimeoutError:
            logger.info("closed a signaling socket from %s: no join in time", address)
            await ws.close(code=JOIN_DEADLINE_PASSED, message=b"join deadline passed")
            return
        if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            return
        if not limits.take_message():
            logger.warning(
                "closed a signaling socket from %s (%s): too many messages",
                address,
                session.grant.participant if session.grant else "not joined",
            )
            await ws.close(code=TOO_MANY_MESSAGES, message=b"too many messages")
            return
        if message.type == WSMsgType.TEXT:
            await session.handle_text(message.data)
        else:
            await session.send({"type": "error", "code": "bad_message", "message": "text only"})


async def control(request: web.Request) -> web.Response:
    """A command the app signed: hand over the presenter role, remove or mute a participant."""
    try:
        command = media_signals.verify_command(await request.text())
    except media_signals.SignalRefused as exc:
        logger.warning("refused a control command: %s", exc)
        return web.json_response({"error": "refused"}, status=403)
    rooms = request.app[ROOMS]
    try:
        fresh = await rooms.ledger.first_use(f"command:{command.command_id}", command.expires_at)
    except LedgerUnavailable:
        return web.json_response({"error": "unavailable"}, status=503)
    if not fresh:
        logger.warning("refused a replayed control command for room %s", command.room)
        return web.json_response({"error": "replayed"}, status=409)
    room_id, action, args = command.room, command.action, command.args
    participant = str(args.get("participant", ""))
    if action == "remove":  # kept whether or not the room is open here (join_ledger.py)
        await rooms.ledger.remove(room_id, participant)
    room = rooms.get(room_id)
    if room is None:  # not (or no longer) served here: nothing else to change
        return web.json_response({"applied": action == "remove"})
    applied = True
    if action == "presenter":
        await room.hand_presenter_to(participant)
    elif action == "remove":
        session = room.participants.get(participant)
        if session is not None:
            await session.send_away()
    elif action == "mute":
        applied = await room.mute(participant, str(args.get("kind")), bool(args.get("muted")))
    return web.json_response({"applied": applied})


async def health(request: web.Request) -> web.Response:
    """200 with what the node carries; decoder_threads must stay 0 (the node never decodes)."""
    return web.json_response(
        {
            "status": "ok",
            **request.app[ROOMS].summary(),
            "sockets": request.app[ADMISSION].open_sockets,
            "decoder_threads": decoder_threads(),
        }
    )


async def metrics(_request: web.Request) -> web.Response:
    """Prometheus text format."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def join_ledger(settings: Settings) -> JoinLedger:
    """Used join tokens and removals: in the shared Redis when there is one, else in memory."""
    if settings.redis_url:
        return JoinLedger(aioredis.Redis.from_url(settings.redis_url))
    return JoinLedger()


def build_app(on_presence: Presence | None = None) -> web.Application:
    """The node's aiohttp application."""
    settings = get_settings()
    app = web.Application(client_max_size=16 * 1024)
    rooms = Rooms(on_presence, join_ledger(settings))
    app[ROOMS] = rooms
    app[ADMISSION] = Admission(settings.media_sockets_per_address)
    app.on_cleanup.append(lambda _app: rooms.ledger.close())
    app.router.add_get("/ws", signaling)
    app.router.add_post("/control", control)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app
