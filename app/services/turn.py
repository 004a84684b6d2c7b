"""Time-limited TURN credentials per participant (the "TURN REST API" scheme coturn's
use-auth-secret checks): username = "<expiry>:<participant>", password =
base64(HMAC-SHA1(secret, username)). Nothing is stored; coturn recomputes and compares."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from app.services import keys
from app.settings import get_settings


def shared_secret() -> str:
    """The secret coturn is configured with (static-auth-secret): CONSILIO_TURN_SECRET, else
    the TURN key derived from the secret key (coturn renders it with media_nodes.turn_config)."""
    settings = get_settings()
    if settings.turn_secret:
        return settings.turn_secret
    return keys.current_key(keys.Purpose.TURN).hex()


def credentials(
    participant: str, *, now: float | None = None, seconds: int | None = None
) -> tuple[str, str]:
    """(username, password) valid for ``seconds`` (default CONSILIO_TURN_CREDENTIAL_SECONDS)."""
    if ":" in participant:
        raise ValueError("a participant id for TURN has no ':'")
    lifetime = seconds or get_settings().turn_credential_seconds
    expiry = int(now if now is not None else time.time()) + lifetime
    username = f"{expiry}:{participant}"
    digest = hmac.new(shared_secret().encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def relay_urls() -> list[str]:
    """The configured TURN URLs (empty: the platform offers no relay)."""
    return [u.strip() for u in get_settings().turn_urls.split(",") if u.strip()]


def ice_servers(participant: str, *, seconds: int | None = None) -> list[dict[str, Any]]:
    """The RTCIceServer list a participant's browser gets (empty without TURN)."""
    urls = relay_urls()
    if not urls:
        return []
    username, password = credentials(participant, seconds=seconds)
    return [{"urls": urls, "username": username, "credential": password}]


def stun_servers() -> list[dict[str, Any]]:
    """STUN only (no credentials): coturn answers binding requests on its UDP/TCP listeners,
    so the STUN servers are the TURN servers' addresses (turns: has no STUN twin)."""
    urls = []
    for url in relay_urls():
        scheme, _, rest = url.partition(":")
        if scheme == "turn":
            address = rest.partition("?")[0]
            if f"stun:{address}" not in urls:
                urls.append(f"stun:{address}")
    return [{"urls": urls}] if urls else []
