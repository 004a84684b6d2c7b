"""Commands from the app to the media node serving a room: the node enforces what the
moderator decided (a removed participant is sent away, a muted track stops, only the
presenter may share a screen). Call after the decision has committed."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from app.services import media_signals
from app.services.media_pass import registry
from app.services.media_registry import NoMediaNode

logger = logging.getLogger(__name__)


async def command(room: str, action: str, **args: Any) -> bool:
    """Send one signed command; False when no node serves the room or it did not apply.

    Without a node nothing needs enforcing: the next join token carries the new state.
    """
    try:
        node = registry().node_for_room(room)
    except NoMediaNode:
        return False
    token = media_signals.sign_command(room, action, **args)
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            response = await http.post(node.url.rstrip("/") + "/control", content=token)
    except httpx.HTTPError as exc:
        logger.warning("command %s for room %s not delivered: %s", action, room, exc)
        return False
    if response.status_code != 200:
        logger.warning("node refused command %s: %s", action, response.status_code)
        return False
    return bool(response.json().get("applied"))
