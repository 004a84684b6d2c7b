"""The platform's own health: what its operator must fix, shown to super admins only.

A missing TURN relay or a video server that does not answer is the platform's problem, not a
visitor's: the test center grades only what a visitor can act on (devices, their network),
and these findings go to the super admin's health page and, as bare codes, to /api/health.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import struct
import urllib.request
from urllib.parse import urlsplit

import redis
import sqlalchemy as sa
from sqlmodel import Session

from app.models import Role
from app.services import turn
from app.services.context import TenantContext
from app.services.errors import AccessDenied
from app.services.media_pass import registry
from app.services.media_registry import SingleNodeRegistry
from app.settings import get_settings

OK, WARN, FAIL = "ok", "warn", "fail"
DATABASE, MEDIA_NODES, TURN = "database", "media_nodes", "turn"
PROBE_TIMEOUT_SECONDS = 2.0
STUN_MAGIC_COOKIE = 0x2112A442
STUN_BINDING_REQUEST, STUN_BINDING_SUCCESS = 0x0001, 0x0101


@dataclasses.dataclass(frozen=True)
class Finding:
    """One line of the health page: what was checked, how it stands, the message to show
    (a key with its parameters) and the code /api/health reports for a problem."""

    check: str
    status: str
    message: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def code(self) -> str:
        """The machine-readable name of the problem ("" when all is well)."""
        return "" if self.status == OK else self.message.removeprefix("health.")


def check_platform(session: Session, ctx: TenantContext) -> list[Finding]:
    """Database, video servers and TURN relay, each actually asked (super admins only).

    Raises:
        AccessDenied: the caller is no super admin.
    """
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()
    return [database(session), media_nodes(probe=True), turn_relay(probe=True)]


def problems() -> list[str]:
    """The configuration problems /api/health names (cheap: no server is contacted)."""
    findings = [media_nodes(probe=False), turn_relay(probe=False)]
    return [f.code for f in findings if f.code]


def database(session: Session) -> Finding:
    """Whether the database answers a trivial query."""
    try:
        session.connection().execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return Finding(DATABASE, FAIL, "health.database_down")
    return Finding(DATABASE, OK, "health.database_ok")


def media_nodes(*, probe: bool) -> Finding:
    """Live video servers. With Redis they report themselves (their heartbeat is the answer);
    the single configured node of a setup without Redis is asked for its /health when
    ``probe`` is set (else it counts as there)."""
    try:
        nodes = registry().live_nodes()
    except redis.RedisError:
        return Finding(MEDIA_NODES, FAIL, "health.registry_down")
    if probe and isinstance(registry(), SingleNodeRegistry):
        nodes = [n for n in nodes if _answers_health(n.url)]
    live = [n for n in nodes if not n.draining]
    if not live:
        return Finding(
            MEDIA_NODES, FAIL, "health.media_none", {"url": get_settings().media_public_url}
        )
    return Finding(MEDIA_NODES, OK, "health.media_ok", {"count": str(len(live))})


def turn_relay(*, probe: bool) -> Finding:
    """Whether browsers are offered a relay and (with ``probe``) whether it answers STUN."""
    urls = turn.relay_urls()
    if not urls:
        return Finding(TURN, WARN, "health.turn_missing")
    if probe:
        silent = [url for url in urls if not _relay_answers(url)]
        if silent:
            return Finding(TURN, FAIL, "health.turn_silent", {"urls": ", ".join(silent)})
    return Finding(TURN, OK, "health.turn_ok", {"urls": ", ".join(urls)})


def _answers_health(base_url: str) -> bool:
    """A media node's /health says "ok" within the probe timeout."""
    url = base_url.rstrip("/") + "/health"
    with (
        contextlib.suppress(OSError, ValueError),
        urllib.request.urlopen(url, timeout=PROBE_TIMEOUT_SECONDS) as response,  # noqa: S310 (own node)
    ):
        return bool(json.loads(response.read(4096)).get("status") == "ok")
    return False


def _relay_answers(url: str) -> bool:
    """A TURN URL's server answers: a STUN binding request over UDP (turn:), or a TCP
    connection (turn:...?transport=tcp, turns:)."""
    scheme, _, rest = url.partition(":")
    address, _, query = rest.partition("?")
    parts = urlsplit("//" + address)
    host = parts.hostname or ""
    if not host or scheme not in ("turn", "turns"):
        return False
    port = parts.port or (5349 if scheme == "turns" else 3478)
    if scheme == "turns" or "transport=tcp" in query:
        with contextlib.suppress(OSError):
            socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS).close()
            return True
        return False
    return _stun_binding(host, port)


def _stun_binding(host: str, port: int) -> bool:
    """Send one STUN binding request (RFC 5389) and wait for its success response."""
    transaction = os.urandom(12)
    request = struct.pack("!HHI12s", STUN_BINDING_REQUEST, 0, STUN_MAGIC_COOKIE, transaction)
    with contextlib.suppress(OSError, struct.error):
        family = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
        with socket.socket(family[0], socket.SOCK_DGRAM) as sock:
            sock.settimeout(PROBE_TIMEOUT_SECONDS)
            sock.sendto(request, family[4])
            answer = sock.recv(2048)
            kind, _length, cookie = struct.unpack("!HHI", answer[:8])
            return (kind, cookie, answer[8:20]) == (
                STUN_BINDING_SUCCESS,
                STUN_MAGIC_COOKIE,
                transaction,
            )
    return False
