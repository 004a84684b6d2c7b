"""Fresh TURN credentials for a participant while they are in the room.

TURN credentials live CONSILIO_TURN_CREDENTIAL_SECONDS (minutes, not hours), so a participant
who left or was removed cannot keep using the relay for long. While present, the node sends
new ones over the signaling socket at half their lifetime:

    <- {"type": "ice-servers", "iceServers": [...]}

and the browser applies them to its peer connections (``setConfiguration``). Nothing is sent
when no TURN server is configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from app.services import turn
from app.settings import get_settings

logger = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], Awaitable[None]]


class TurnRenewal:
    """Renews one participant's TURN credentials until stopped.

    Args:
        participant: whose credentials (the TURN username names them).
        send: sends one message to the participant's browser.
    """

    def __init__(self, participant: str, send: Send) -> None:
        self.participant = participant
        self._send = send
        self._seconds = get_settings().turn_credential_seconds
        self._task: asyncio.Task[None] | None = None

    def ice_servers(self) -> list[dict[str, Any]]:
        """Credentials valid from now for the configured lifetime ([] without TURN)."""
        try:
            return turn.ice_servers(self.participant, seconds=self._seconds)
        except ValueError:  # a participant id TURN cannot carry: no relay for them
            logger.warning("no TURN credentials for participant %r", self.participant)
            return []

    def start(self) -> None:
        """Renew at half the lifetime from now on (nothing without TURN)."""
        if self._task is None and self.ice_servers():
            self._task = asyncio.create_task(self._renew())

    async def stop(self) -> None:
        """No more renewals (the participant left or was removed)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self._seconds / 2)
            try:
                await self._send({"type": "ice-servers", "iceServers": self.ice_servers()})
            except Exception:  # the socket is going away; close() stops this task
                logger.info("TURN renewal for %s not delivered", self.participant)
