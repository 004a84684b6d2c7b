"""How many bytes a request may send: checked before the app reads a byte, and while it reads.

Starlette and Reflex read a request's body whole (into memory, or spooled to temporary files
for uploads) before a route gets to say no. This middleware wraps the whole ASGI app: a body
declared larger than its route's limit is refused with 413 at once; a body without a declared
length (chunked) is counted as the app reads it and cut off with 413 at the limit. A route may
have a gate that looks at the request's headers first (Reflex's upload endpoint: who uploads,
to which handler) and refuses it before anything is read.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable, Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

# Any route without a limit of its own: JSON and form posts of the REST API and the session
# hand-over are far smaller; page and static requests have no body at all.
DEFAULT_LIMIT = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Admission:
    """What a gate decided about a request from its headers alone.

    Attributes:
        limit: the most bytes the body may have.
        refusal: an HTTP status refusing the request before its body is read (0: admitted).
        reason: a short English reason for the response and the log (no user input).
    """

    limit: int
    refusal: int = 0
    reason: str = ""


# A gate gets the request's scope and its declared length (None when chunked). It must be
# cheap before it is sure the body fits (the size check comes first) and keep blocking work
# (database) off the event loop.
Gate = Callable[[Scope, int | None], Awaitable[Admission]]


class BodyTooLarge(Exception):
    """Raised into the app when a streamed body passes its limit (the app stops reading)."""


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length (None when absent); -1 when it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


async def _answer(send: Send, status: int, reason: str) -> None:
    """A small JSON error that also tells the server to drop the rest of the body."""
    body = json.dumps({"detail": reason}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimits:
    """ASGI middleware enforcing per-route body limits and gates (see the module docstring).

    Args:
        app: the ASGI app to protect.
        limits: exact request paths and their limits in bytes.
        gates: exact request paths whose requests a gate admits first (and sets the limit of).
        default: the limit of every other path.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Mapping[str, int] | None = None,
        gates: Mapping[str, Gate] | None = None,
        default: int = DEFAULT_LIMIT,
    ) -> None:
        self.app = app
        self.limits = dict(limits or {})
        self.gates = dict(gates or {})
        self.default = default

    async def _admit(self, scope: Scope) -> Admission:
        length = declared_length(scope)
        if length == -1:
            return Admission(limit=0, refusal=400, reason="invalid Content-Length")
        gate = self.gates.get(scope["path"])
        if gate is not None:
            return await gate(scope, length)
        limit = self.limits.get(scope["path"], self.default)
        if length is not None and length > limit:
            return Admission(limit=limit, refusal=413, reason="request body too large")
        return Admission(limit=limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or admit the request, then count its body as the app reads it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        admission = await self._admit(scope)
        if admission.refusal:
            logger.info(
                "refused %s %s before reading: %s",
                scope["method"],
                scope["path"],
                admission.reason,
            )
            await _answer(send, admission.refusal, admission.reason)
            return
        received = 0
        too_large = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > admission.limit:
                    too_large = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:
                return  # whatever the app makes of the cut-off body, the answer is 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not too_large:
                raise
        if too_large:
            logger.info("cut off %s %s at %d bytes", scope["method"], scope["path"], received)
            if not started:
                await _answer(send, 413, "request body too large")
