"""Tells the app when a participant's media connection comes up or goes away.

Reports are queued and sent in order by one task, signed with the shared key; a report the
app does not take is retried a few times, then dropped with a log line (the next join or
leave corrects the list).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from app.services import media_signals

logger = logging.getLogger(__name__)

ATTEMPTS = 4


class PresenceReporter:
    """One queue of presence reports to the app's ``/api/media/events``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def report(self, room: str, participant: str, online: bool) -> None:
        """Queue one report (called from the node's event loop; never blocks)."""
        if self.url:
            self._queue.put_nowait(media_signals.sign_presence(room, participant, online))

    def start(self) -> None:
        """Begin sending (inside the running loop)."""
        self._task = asyncio.create_task(self._send_all())

    async def stop(self) -> None:
        """Send what is queued (briefly), then stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), timeout=3)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _send_all(self) -> None:
        timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while True:
                token = await self._queue.get()
                try:
                    await self._send(http, token)
                finally:
                    self._queue.task_done()

    async def _send(self, http: aiohttp.ClientSession, token: str) -> None:
        for attempt in range(ATTEMPTS):
            try:
                async with http.post(self.url, data=token) as response:
                    if response.status < 500:
                        if response.status >= 400:
                            logger.warning("app refused a presence report: %s", response.status)
                        return
            except (aiohttp.ClientError, TimeoutError) as exc:
                logger.info("presence report failed (%s), attempt %s", exc, attempt + 1)
            await asyncio.sleep(0.5 * 2**attempt)
        logger.warning("presence report dropped after %s attempts", ATTEMPTS)
