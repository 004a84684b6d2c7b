"""Where the rate limits keep their counts: moving windows of timestamped events, in Redis
(shared by every backend worker) or in this process's memory (the single-process dev mode).

Each counted event is an entry with an id of its own, so a count can be given back exactly
(a sign-in slot refunded when the password was right), and several windows are tested and
counted in one step: in Redis by one Lua script, in memory under one lock. Nothing sleeps;
a refusal says how long until enough entries have left their windows.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from typing import Protocol

import redis

REDIS_PREFIX = "consilio-counts:"


@dataclasses.dataclass(frozen=True)
class Window:
    """One tier of one rule for one ``who``: at most ``amount`` entries in ``seconds``."""

    key: str
    seconds: float
    amount: int


class Counts(Protocol):
    """What the rate limits need of a store."""

    def admit(self, windows: Sequence[Window], now: float, entry: str, cost: int) -> float:
        """Add ``cost`` entries named ``entry`` to every window when each has room for them,
        else add nothing; the wait in seconds (0: added)."""
        ...

    def add(self, windows: Sequence[Window], now: float, entry: str) -> None:
        """Add one entry to every window that has room (a full window stays full)."""
        ...

    def wait(self, windows: Sequence[Window], now: float) -> float:
        """Seconds until every window has room for one more entry (0: now)."""
        ...

    def remove(self, windows: Sequence[Window], entry: str, cost: int) -> None:
        """Take back the ``cost`` entries added as ``entry``."""
        ...

    def clear(self, windows: Sequence[Window]) -> None:
        """Forget every entry of these windows."""
        ...


def _member(entry: str, n: int) -> str:
    """The name of the n-th entry of an event counted ``cost`` times (the same in Redis)."""
    return f"{entry}.{n}"


def _wait_of(times: Sequence[float], window: Window, now: float, cost: int) -> float:
    """How long until ``cost`` more entries fit; ``times`` are the live entries, oldest first."""
    over = len(times) + cost - window.amount
    if over <= 0:
        return 0.0
    if over > len(times):  # more than the window ever holds
        return window.seconds
    return max(times[over - 1] + window.seconds - now, 0.001)


class MemoryCounts:
    """Counts in this process (dev mode and tests without Redis)."""

    SWEEP_EVERY = 1000  # admissions between sweeps of windows nobody asked about lately

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, list[tuple[float, str]]] = {}
        self._seconds: dict[str, float] = {}
        self._since_sweep = 0

    def _live(self, window: Window, now: float) -> list[tuple[float, str]]:
        entries = [e for e in self._entries.get(window.key, []) if e[0] > now - window.seconds]
        self._entries[window.key], self._seconds[window.key] = entries, window.seconds
        return entries

    def _sweep(self, now: float) -> None:
        self._since_sweep += 1
        if self._since_sweep < self.SWEEP_EVERY:
            return
        self._since_sweep = 0
        for key, entries in list(self._entries.items()):
            if not entries or entries[-1][0] <= now - self._seconds[key]:
                del self._entries[key], self._seconds[key]

    def _wait(self, windows: Sequence[Window], now: float, cost: int) -> float:
        return max(
            (_wait_of([t for t, _ in self._live(w, now)], w, now, cost) for w in windows),
            default=0.0,
        )

    def admit(self, windows: Sequence[Window], now: float, entry: str, cost: int) -> float:
        with self._lock:
            self._sweep(now)
            wait = self._wait(windows, now, cost)
            if wait <= 0:
                for window in windows:
                    self._live(window, now).extend((now, _member(entry, n)) for n in range(cost))
            return wait

    def add(self, windows: Sequence[Window], now: float, entry: str) -> None:
        with self._lock:
            for window in windows:
                live = self._live(window, now)
                if len(live) < window.amount:
                    live.append((now, _member(entry, 0)))

    def wait(self, windows: Sequence[Window], now: float) -> float:
        with self._lock:
            return self._wait(windows, now, 1)

    def remove(self, windows: Sequence[Window], entry: str, cost: int) -> None:
        members = {_member(entry, n) for n in range(cost)}
        with self._lock:
            for window in windows:
                if window.key in self._entries:
                    kept = [e for e in self._entries[window.key] if e[1] not in members]
                    self._entries[window.key] = kept

    def clear(self, windows: Sequence[Window]) -> None:
        with self._lock:
            for window in windows:
                self._entries.pop(window.key, None)
                self._seconds.pop(window.key, None)


# KEYS: one sorted set per window (score: time, member: entry id).
# ARGV: mode ("admit", "add" or "wait"), now, entry, cost, then seconds and amount per key.
# Returns the wait in seconds as a string ("0": added, or nothing to wait for).
_COUNT_SCRIPT = """
local mode, now, entry, cost = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local wait = 0
local room = {}
for i, key in ipairs(KEYS) do
  local seconds, amount = tonumber(ARGV[3 + 2 * i]), tonumber(ARGV[4 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - seconds)
  local n = redis.call('ZCARD', key)
  local over = n + cost - amount
  room[i] = n < amount
  if over > 0 then
    local w = seconds
    if over <= n then
      local oldest = redis.call('ZRANGE', key, over - 1, over - 1, 'WITHSCORES')
      w = math.max(tonumber(oldest[2]) + seconds - now, 0.001)
    end
    if w > wait then wait = w end
  end
end
if mode == 'wait' or (mode == 'admit' and wait > 0) then
  return tostring(wait)
end
for i, key in ipairs(KEYS) do
  local seconds = tonumber(ARGV[3 + 2 * i])
  if mode == 'admit' or room[i] then
    for n = 0, cost - 1 do
      redis.call('ZADD', key, now, entry .. '.' .. n)
    end
    redis.call('EXPIRE', key, math.ceil(seconds) + 1)
  end
end
return '0'
"""


class RedisCounts:
    """Counts in Redis, shared by every backend worker and process."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url)
        self._script = self._client.register_script(_COUNT_SCRIPT)

    def _run(
        self, mode: str, windows: Sequence[Window], now: float, entry: str, cost: int
    ) -> float:
        if not windows:
            return 0.0
        args: list[str | float | int] = [mode, repr(now), entry, cost]
        for window in windows:
            args += [window.seconds, window.amount]
        keys = [REDIS_PREFIX + w.key for w in windows]
        return float(self._script(keys=keys, args=args))

    def admit(self, windows: Sequence[Window], now: float, entry: str, cost: int) -> float:
        return self._run("admit", windows, now, entry, cost)

    def add(self, windows: Sequence[Window], now: float, entry: str) -> None:
        self._run("add", windows, now, entry, 1)

    def wait(self, windows: Sequence[Window], now: float) -> float:
        return self._run("wait", windows, now, "", 1)

    def remove(self, windows: Sequence[Window], entry: str, cost: int) -> None:
        members = [_member(entry, n) for n in range(cost)]
        with self._client.pipeline() as pipe:
            for window in windows:
                pipe.zrem(REDIS_PREFIX + window.key, *members)
            pipe.execute()

    def clear(self, windows: Sequence[Window]) -> None:
        if windows:
            self._client.delete(*[REDIS_PREFIX + w.key for w in windows])
