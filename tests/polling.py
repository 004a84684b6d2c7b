"""Waiting for something to become true, instead of sleeping and hoping it did."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(check: Callable[[], T], *, timeout: float = 10.0, every: float = 0.05) -> T:
    """Call ``check`` until it returns something truthy (and return that), or fail."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {getattr(check, '__name__', check)}")
        time.sleep(every)


async def eventually(
    check: Callable[[], T | Awaitable[T]], *, timeout: float = 10.0, every: float = 0.05
) -> T:
    """Async :func:`wait_until`: ``check`` may be a plain or an async function."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result) or isinstance(result, Awaitable):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout}s: {getattr(check, '__name__', check)}")
        await asyncio.sleep(every)
