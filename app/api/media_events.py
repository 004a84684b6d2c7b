"""Reports from media nodes (signed with the shared key): whose media is connected."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from app.services import media_signals, meetings
from app.services.db import unit_of_work

router = APIRouter()
logger = logging.getLogger(__name__)

MAX_REPORT_BYTES = 4096


@router.post("/api/media/events", include_in_schema=False)
async def media_event(request: Request) -> Response:
    """A participant's media came online or went away; 403 for anything not signed by a node."""
    body = await request.body()
    if len(body) > MAX_REPORT_BYTES:
        return Response(status_code=413)
    try:
        room, participant, online = media_signals.verify_presence(body.decode(errors="replace"))
    except media_signals.SignalRefused as exc:
        logger.warning("refused a media event: %s", exc)
        return Response(status_code=403)
    with unit_of_work() as session:
        meetings.record_presence(session, room, participant, online)
    return Response(status_code=204)
