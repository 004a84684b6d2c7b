"""Time-limited TURN credentials per participant (the "TURN REST API" scheme coturn's
use-auth-secret checks): username = "<expiry>:<participant>", password =
base64(HMAC-SHA1(secret, username)). Nothing is stored; coturn recomputes and compares."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from app.settings import get_settings


def shared_secret() -> str:
    """The secret coturn is configured with (static-auth-secret)."""
    settings = get_settings()
    if settings.turn_secret:
        return settings.turn_secret
    return hashlib.sha256(b"consilio-turn:" + settings.secret_key.encode()).hexdigest()


def credentials(participant: str, *, now: float | None = None) -> tuple[str, str]:
    """(username, password) valid for CONSILIO_TURN_CREDENTIAL_SECONDS."""
    if ":" in participant:
        raise ValueError("a participant id for TURN has no ':'")
    expiry = int(now if now is not None else time.time()) + get_settings().turn_credential_seconds
    username = f"{expiry}:{participant}"
    digest = hmac.new(shared_secret().encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(participant: str) -> list[dict[str, Any]]:
    """The RTCIceServer list a participant's browser gets (empty without TURN)."""
    urls = [u.strip() for u in get_settings().turn_urls.split(",") if u.strip()]
    if not urls:
        return []
    username, password = credentials(participant)
    return [{"urls": urls, "username": username, "credential": password}]
