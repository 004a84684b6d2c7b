"""What a node remembers about joining beyond a room's life: join tokens already used, and
participants the moderator sent away.

A join token is good for one join: its id is kept until the token expires, so a copied token
cannot be replayed (with Redis, not on another node either). A removal is kept for a day per
room, whether or not the room is still open, so the removed participant's tokens issued
before the removal are refused wherever the room goes. With a Redis URL both live in Redis
(shared by all nodes), else in this process's memory. Removals are also kept in memory at
once, so a join racing a removal on this node cannot slip in between (see ``removed_here``).
"""

from __future__ import annotations

import logging
import time

import redis.asyncio as aioredis

logger = logging.getLogger(__name__)

USED_TOKEN_KEY = "consilio:media:used-join-token:{}"  # noqa: S105 (a key name)
REMOVED_KEY = "consilio:media:removed:{}"  # a sorted set per room: participant -> until
REMOVAL_SECONDS = 24 * 3600  # far beyond any join token's lifetime
PRUNE_EVERY_SECONDS = 60.0


class LedgerUnavailable(Exception):
    """Redis did not answer: the join is refused (the browser tries again)."""


class JoinLedger:
    """Used join tokens and removals, in Redis when ``client`` is given, else in memory.

    Args:
        client: the shared Redis (production), or None (a single node in development).
    """

    def __init__(self, client: aioredis.Redis | None = None) -> None:
        self._redis = client
        self._used: dict[str, float] = {}  # token id -> until (memory mode)
        self._removed: dict[tuple[str, str], float] = {}  # (room, participant) -> until
        self._pruned = time.time()

    async def first_use(self, token_id: str, expires_at: float) -> bool:
        """Record a join with the token ``token_id``; False if it was used before."""
        now = time.time()
        seconds = max(1, int(expires_at - now) + 1)
        if self._redis is None:
            self._prune(now)
            if self._used.get(token_id, 0) > now:
                return False
            self._used[token_id] = now + seconds
            return True
        try:
            stored = await self._redis.set(USED_TOKEN_KEY.format(token_id), 1, nx=True, ex=seconds)
        except aioredis.RedisError as exc:
            logger.warning("join ledger unreachable, join refused: %s", exc)
            raise LedgerUnavailable() from exc
        return bool(stored)

    async def remove(self, room: str, participant: str) -> None:
        """``participant`` may not join ``room`` again (for REMOVAL_SECONDS)."""
        now = time.time()
        until = now + REMOVAL_SECONDS
        self._prune(now)
        self._removed[(room, participant)] = until  # first, before anything is awaited
        if self._redis is None:
            return
        key = REMOVED_KEY.format(room)
        try:
            pipe = self._redis.pipeline()
            pipe.zadd(key, {participant: until})
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.expire(key, REMOVAL_SECONDS)
            await pipe.execute()
        except aioredis.RedisError:  # kept on this node; the app refuses their link anyway
            logger.exception("removal of %s from %s not shared", participant, room)

    def removed_here(self, room: str, participant: str) -> bool:
        """Whether this node recorded the removal (no waiting: for the last check before a
        participant enters the room)."""
        return self._removed.get((room, participant), 0) > time.time()

    async def is_removed(self, room: str, participant: str) -> bool:
        """Whether ``participant`` was sent away from ``room`` (on any node, with Redis)."""
        if self.removed_here(room, participant) or self._redis is None:
            return self.removed_here(room, participant)
        try:
            until = await self._redis.zscore(REMOVED_KEY.format(room), participant)
        except aioredis.RedisError as exc:
            logger.warning("join ledger unreachable, join refused: %s", exc)
            raise LedgerUnavailable() from exc
        return until is not None and float(until) > time.time()

    async def close(self) -> None:
        """Release the Redis connections."""
        if self._redis is not None:
            await self._redis.aclose()

    def _prune(self, now: float) -> None:
        if now - self._pruned < PRUNE_EVERY_SECONDS:
            return
        self._pruned = now
        self._used = {k: v for k, v in self._used.items() if v > now}
        self._removed = {k: v for k, v in self._removed.items() if v > now}
