"""Live events of one meeting room, shared by every browser in it.

Each room has a channel; a service publishes an event after its change has committed, and
each browser's listener applies it. With Redis (production, several web backends) the channel
is a Redis pub/sub channel; without Redis (dev, one process) an in-process bus serves.
Events are small dicts with a ``type``; they say *that* something changed, and carry the
new value when it is small (a chat line, the presenter), so nobody polls the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

import redis
import redis.asyncio as aioredis

from app.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL = "consilio:room:{}"


class _LocalBus:
    """Subscribers in this process: (loop, queue) per listener, per room."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]]] = {}

    def publish(self, room: str, text: str) -> None:
        with self._lock:
            listeners = list(self._listeners.get(room, ()))
        for loop, queue in listeners:
            with contextlib.suppress(RuntimeError):  # a listener whose loop has ended
                loop.call_soon_threadsafe(queue.put_nowait, text)

    @contextlib.asynccontextmanager
    async def listen(self, room: str) -> AsyncIterator[asyncio.Queue[str]]:
        entry = (asyncio.get_running_loop(), asyncio.Queue[str]())
        with self._lock:
            self._listeners.setdefault(room, set()).add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                self._listeners.get(room, set()).discard(entry)
                if not self._listeners.get(room):
                    self._listeners.pop(room, None)


_local = _LocalBus()
_redis_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _redis_client
    if _redis_client is None:
        _redis_client = redis.Redis.from_url(get_settings().redis_url or "")
    return _redis_client


def publish(room: str, event: dict[str, Any]) -> None:
    """Tell every browser in ``room`` about ``event``. Call it after the change committed."""
    text = json.dumps(event)
    if get_settings().uses_redis:
        try:
            _redis().publish(CHANNEL.format(room), text)
        except redis.RedisError:
            logger.exception("room event for %s not published", room)
    else:
        _local.publish(room, text)


async def listen(room: str) -> AsyncIterator[dict[str, Any]]:
    """Every event published in ``room`` from now on (runs until the caller stops)."""
    if get_settings().uses_redis:
        client = aioredis.Redis.from_url(get_settings().redis_url or "")
        pubsub = client.pubsub()
        await pubsub.subscribe(CHANNEL.format(room))
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield json.loads(message["data"])
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
                await client.aclose()
    else:
        async with _local.listen(room) as queue:
            while True:
                yield json.loads(await queue.get())
