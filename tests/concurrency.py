"""Run requests at the same moment, as two backend workers would, to pin down races."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from app.services.db import unit_of_work

TIMEOUT = 30.0


def at_once(*works: Callable[[Session], Any]) -> list[Any]:
    """Run each ``work(session)`` in its own thread and unit of work, all released together.

    Returns:
        Each work's result, or the exception it raised, in the order given.
    """
    start = threading.Barrier(len(works))
    outcomes: list[Any] = [None] * len(works)

    def run(index: int, work: Callable[[Session], Any]) -> None:
        start.wait(TIMEOUT)
        try:
            with unit_of_work() as session:
                outcomes[index] = work(session)
        except Exception as exc:  # the outcome the test looks at
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a request hung (deadlock?)"
    return outcomes


def meet_at(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, parties: int) -> None:
    """Make calls of ``owner.name`` wait until ``parties`` threads reached it: every request
    has read what it checks before any of them writes (the interleaving a race needs).

    A thread held up elsewhere (e.g. by a row lock) lets the others go on after a short wait.
    """
    original = getattr(owner, name)
    meeting = threading.Barrier(parties)

    def held(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=3)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
