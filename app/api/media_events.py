"""Reports from media nodes (signed with the shared key): whose media is connected."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from app.services import media_signals, meetings
from app.services.db import unit_of_work

router = APIRouter()
logger = logging.getLogger(__name__)

MAX_REPORT_BYTES = 4096


async def _read_at_most(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes ``limit`` (the rest is never read).

    The body limits middleware already refuses larger reports; this keeps the route safe on
    its own.
    """
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


@router.post("/api/media/events", include_in_schema=False)
async def media_event(request: Request) -> Response:
    """A participant's media came online or went away; 403 for anything not signed by a node."""
    body = await _read_at_most(request, MAX_REPORT_BYTES)
    if body is None:
        return Response(status_code=413)
    try:
        room, participant, online = media_signals.verify_presence(body.decode(errors="replace"))
    except media_signals.SignalRefused as exc:
        logger.warning("refused a media event: %s", exc)
        return Response(status_code=403)
    await run_in_threadpool(_record, room, participant, online)
    return Response(status_code=204)


def _record(room: str, participant: str, online: bool) -> None:
    with unit_of_work() as session:
        meetings.record_presence(session, room, participant, online)
