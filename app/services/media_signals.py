"""Signed messages between the app and media nodes, besides join tokens.

- Commands, app -> node (``POST {node}/control``): mute, remove, presenter. A node acts only
  on a command signed with the node-commands key, for a room it serves, within a minute,
  and once (each carries an id the node remembers until it expires, so a replayed
  "presenter" command cannot undo a newer hand-over).
- Events, node -> app (``POST /api/media/events``): a participant's media came online or
  went away, so the room's participants list shows who is really there.

Each kind has its own key derived from CONSILIO_SECRET_KEY (app/services/keys.py) and names
the secret it was signed with (``kid``), as join tokens do.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from typing import Any

import jwt

from app.services import keys
from app.services.join_tokens import ALGORITHM

COMMAND_AUDIENCE = "consilio-media-command"
EVENT_AUDIENCE = "consilio-media-event"
LIFETIME_SECONDS = 60
COMMANDS = ("mute", "remove", "presenter")


class SignalRefused(Exception):
    """A forged, expired or malformed command or event."""


PURPOSES = {
    COMMAND_AUDIENCE: keys.Purpose.NODE_COMMANDS,
    EVENT_AUDIENCE: keys.Purpose.PRESENCE_REPORTS,
}


def _sign(audience: str, body: dict[str, Any]) -> str:
    now = int(time.time())
    kid, key = keys.signing_key(PURPOSES[audience])
    return jwt.encode(
        {**body, "aud": audience, "iat": now, "exp": now + LIFETIME_SECONDS},
        key,
        algorithm=ALGORITHM,
        headers={"kid": kid},
    )


def _verify(audience: str, token: str) -> dict[str, Any]:
    key = keys.token_key(PURPOSES[audience], token)
    if key is None:
        raise SignalRefused("signed with no configured key")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], audience=audience,
            options={"require": ["exp", "aud", "room"]},
        )  # fmt: skip
    except jwt.PyJWTError as exc:
        raise SignalRefused(str(exc)) from None
    if not isinstance(claims.get("room"), str):
        raise SignalRefused("no room")
    return claims


@dataclasses.dataclass(frozen=True)
class Command:
    """A verified command: what to do in which room, and its id and expiry (to act once)."""

    room: str
    action: str
    args: dict[str, Any]
    command_id: str
    expires_at: float


def sign_command(room: str, action: str, **args: Any) -> str:
    """A command for the node serving ``room``."""
    if action not in COMMANDS:
        raise ValueError(f"unknown command {action!r}")
    body = {"room": room, "action": action, "args": args, "jti": secrets.token_urlsafe(16)}
    return _sign(COMMAND_AUDIENCE, body)


def verify_command(token: str) -> Command:
    """The command of a valid token, else SignalRefused."""
    claims = _verify(COMMAND_AUDIENCE, token)
    action, args, command_id = claims.get("action"), claims.get("args"), claims.get("jti")
    if action not in COMMANDS or not isinstance(args, dict):
        raise SignalRefused("bad command")
    if not isinstance(command_id, str) or not 8 <= len(command_id) <= 64:
        raise SignalRefused("no command id")
    return Command(claims["room"], str(action), args, command_id, float(claims["exp"]))


def sign_presence(room: str, participant: str, online: bool) -> str:
    """A node's report that ``participant``'s media in ``room`` came online or went away."""
    return _sign(EVENT_AUDIENCE, {"room": room, "participant": participant, "online": online})


def verify_presence(token: str) -> tuple[str, str, bool]:
    """(room, participant, online) of a valid report, else SignalRefused."""
    claims = _verify(EVENT_AUDIENCE, token)
    participant, online = claims.get("participant"), claims.get("online")
    if not isinstance(participant, str) or not isinstance(online, bool):
        raise SignalRefused("bad event")
    return claims["room"], participant, online
