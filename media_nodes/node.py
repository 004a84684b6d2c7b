"""A running media node: serves signaling, reports itself to the registry, drains on SIGTERM.

SIGTERM: the node reports itself as draining (the app sends no new rooms), keeps serving the
rooms it has, and stops once they are empty or CONSILIO_MEDIA_DRAIN_SECONDS have passed.
SIGINT stops at once. A node that dies without a word drops out of the registry when its last
report expires, and its rooms move to another node.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

from aiohttp import web

from app.services.media_registry import NodeInfo, Registry, get_registry
from app.settings import Settings
from media_nodes.presence import PresenceReporter
from media_nodes.server import ROOMS, build_app

logger = logging.getLogger(__name__)


class MediaNode:
    """One node process: its web server, its heartbeat, its lifecycle."""

    def __init__(self, settings: Settings, registry: Registry | None = None) -> None:
        self.settings = settings
        self.node_id = settings.media_node_id or f"{settings.media_host}:{settings.media_port}"
        self.registry = registry or get_registry()
        self.presence = PresenceReporter(settings.media_events_target)
        self.app = build_app(self.presence.report)
        self.draining = False
        self._drain_deadline = 0.0
        self._stop = asyncio.Event()

    def info(self) -> NodeInfo:
        """What the node reports in its heartbeat."""
        summary = self.app[ROOMS].summary()
        return NodeInfo(
            node_id=self.node_id,
            url=self.settings.media_public_url,
            participants=summary["participants"],
            rooms=summary["rooms"],
            draining=self.draining,
        )

    def drain(self) -> None:
        """Take no new rooms; stop when the current ones are over."""
        if not self.draining:
            logger.info("draining: no new rooms, %s", self.app[ROOMS].summary())
            self.draining = True
            self._drain_deadline = time.monotonic() + self.settings.media_drain_seconds

    def stop(self) -> None:
        """Stop now."""
        self._stop.set()

    async def _heartbeat(self) -> None:
        while not self._stop.is_set():
            try:
                await asyncio.to_thread(self.registry.report, self.info())
            except Exception:  # Redis away for a moment: try again next beat
                logger.exception("heartbeat failed")
            if self.draining and (
                self.app[ROOMS].summary()["rooms"] == 0 or time.monotonic() > self._drain_deadline
            ):
                self._stop.set()
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.settings.media_heartbeat_seconds)

    async def serve(self) -> None:
        """Run until stopped or drained."""
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, self.drain)
        loop.add_signal_handler(signal.SIGINT, self.stop)
        self.presence.start()
        runner = web.AppRunner(self.app)
        await runner.setup()
        await web.TCPSite(runner, self.settings.media_host, self.settings.media_port).start()
        logger.info("media node %s serving on %s", self.node_id, self.settings.media_public_url)
        try:
            await self._heartbeat()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.registry.withdraw, self.node_id)
            await runner.cleanup()
            await self.presence.stop()
