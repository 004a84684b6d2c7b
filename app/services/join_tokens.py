"""Short-lived tokens the app signs to let one participant into one room on a media node.

The media node checks them with the same key (derived from CONSILIO_SECRET_KEY), so a
browser can only join the room, under the name and role, the app allowed. A token names the
secret it was signed with (``kid``): one signed under a previous secret key still verifies
until it expires, one naming no configured secret is refused.
"""

from __future__ import annotations

import dataclasses
import secrets
import time

import jwt

from app.services import keys
from app.settings import get_settings

ALGORITHM = "HS256"
AUDIENCE = "consilio-media"
ROLES = ("moderator", "participant", "probe")  # probe: the test center's network check


class JoinRefused(Exception):
    """A join token that is forged, expired or malformed."""


@dataclasses.dataclass(frozen=True)
class JoinGrant:
    """Who may join which room, in which role."""

    room: str
    participant: str
    name: str
    role: str
    presenter: str = ""  # who may share a screen in the room when this token was issued
    # Set by verify: the token's unique id and expiry (a node accepts each token once).
    token_id: str = dataclasses.field(default="", compare=False)
    expires_at: int = dataclasses.field(default=0, compare=False)

    @property
    def is_probe(self) -> bool:
        """A network test from the test center: alone in a room of its own, for a short while."""
        return self.role == "probe"


def issue(
    grant: JoinGrant, *, lifetime_seconds: int | None = None, now: float | None = None
) -> str:
    """Sign ``grant`` for ``lifetime_seconds`` (default from the settings)."""
    if grant.role not in ROLES:
        raise ValueError(f"unknown role {grant.role!r}")
    issued = int(now if now is not None else time.time())
    lifetime = lifetime_seconds or get_settings().media_join_token_seconds
    claims = {
        "aud": AUDIENCE,
        "iat": issued,
        "exp": issued + lifetime,
        "room": grant.room,
        "sub": grant.participant,
        "name": grant.name,
        "role": grant.role,
        "presenter": grant.presenter,
        "jti": secrets.token_urlsafe(16),
    }
    kid, key = keys.signing_key(keys.Purpose.JOIN_TOKENS)
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})


def verify(token: str) -> JoinGrant:
    """The grant inside a valid token, else JoinRefused."""
    key = keys.token_key(keys.Purpose.JOIN_TOKENS, token)
    if key is None:
        raise JoinRefused("invalid")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "iat", "aud", "sub", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise JoinRefused("expired") from None
    except jwt.PyJWTError:
        raise JoinRefused("invalid") from None
    try:
        grant = JoinGrant(
            room=str(claims["room"]),
            participant=str(claims["sub"]),
            name=str(claims["name"]),
            role=str(claims["role"]),
            presenter=str(claims.get("presenter") or ""),
            token_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
        )
    except KeyError:
        raise JoinRefused("invalid") from None
    if grant.role not in ROLES or not grant.room or not grant.participant:
        raise JoinRefused("invalid")
    return grant
