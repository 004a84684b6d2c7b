"""Commands from the app to the media node serving a room: the node enforces what the
moderator decided (a removed participant is sent away, a muted track stops, only the
presenter may share a screen). Sent once the decision has committed."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from sqlmodel import Session

from app.services import media_signals
from app.services.db import after_commit
from app.services.media_pass import registry
from app.services.media_registry import NoMediaNode

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0


def command(room: str, action: str, **args: Any) -> bool:
    """Send one signed command; False when no node serves the room or it did not apply.

    Without a node nothing needs enforcing: the next join token carries the new state.
    Blocking (a short HTTP call): runs in the worker thread of the handler that decided.
    """
    try:
        node = registry().node_for_room(room)
    except NoMediaNode:
        return False
    except Exception:  # the registry (Redis) is down: the next join token carries the state
        logger.exception("no node for room %s: command %s not sent", room, action)
        return False
    token = media_signals.sign_command(room, action, **args)
    try:
        response = httpx.post(
            node.url.rstrip("/") + "/control", content=token, timeout=TIMEOUT_SECONDS
        )
        applied = response.status_code == 200 and bool(response.json().get("applied"))
    except (httpx.HTTPError, ValueError) as exc:
        logger.warning("command %s for room %s not delivered: %s", action, room, exc)
        return False
    if not applied:
        logger.warning("node did not apply command %s: %s", action, response.status_code)
    return applied


def command_after_commit(session: Session, room: str, action: str, **args: Any) -> None:
    """Have the room's node enforce ``action`` once the decision is stored (never before:
    a decision that rolled back must not reach the node)."""
    after_commit(session, lambda: command(room, action, **args))
