"""The worker threads that run handlers' blocking work (database, hashing, rendering).

Two lanes, each a bounded pool of its own, both separate from asyncio's default pool (which
Reflex's state manager uses):

- ``HANDLERS``: every guarded handler's unit of work (``CONSILIO_HANDLER_THREADS``, default
  12; the database pool is sized from it, app/services/db.py).
- ``SIGN_IN``: handlers that check a password (sign-in, its second step, setting a password
  from a link). Each spends tens of milliseconds in argon2; a burst of them waits in this
  lane instead of holding every handler thread, so other users' pages keep loading; its
  threads run at a lower priority than the event loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from app.services import passwords
from app.settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")

HANDLERS = "handlers"
SIGN_IN = "sign_in"


@functools.cache
def _pool(lane: str) -> ThreadPoolExecutor:
    size = passwords.hashing_threads() if lane == SIGN_IN else get_settings().handler_threads
    if lane == SIGN_IN:  # yields to the event loop when the cores are busy, as hashing does
        return ThreadPoolExecutor(
            size, thread_name_prefix=lane, initializer=passwords.lower_priority
        )
    return ThreadPoolExecutor(size, thread_name_prefix=lane)


async def in_worker(work: Callable[..., R], *args: object, lane: str = HANDLERS) -> R:
    """Run ``work(*args)`` in a thread of ``lane`` (with this task's context) and wait."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, work, *args)
    return await asyncio.get_running_loop().run_in_executor(_pool(lane), call)
