"""The database engine and the unit of work every service runs in."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, create_engine

from app.settings import get_settings

logger = logging.getLogger(__name__)


@functools.cache
def get_engine(url: str | None = None) -> sa.Engine:
    """Return the process-wide engine for ``url`` (default: the configured database)."""
    url = url or get_settings().database_url
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if not url.startswith("sqlite"):
        # Enough connections for every thread that may hold one at once: the handler and
        # sign-in lanes (state/threads.py), plus the in-process worker and the HTTP routes.
        settings = get_settings()
        kwargs["pool_size"] = settings.handler_threads + settings.worker_threads + 2
        kwargs["max_overflow"] = 5
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


@contextlib.contextmanager
def unit_of_work() -> Iterator[Session]:
    """Open a session that commits on success and rolls back on any exception.

    A service write happens inside one of these, so its data change and its audit event
    land together or not at all.
    """
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def after_commit(session: Session, callback: Any) -> None:
    """Run ``callback()`` once ``session`` has committed (enqueue jobs, publish events).

    Nothing runs when the transaction rolls back, so a job never refers to data that was
    never written.
    """
    session.info.setdefault("after_commit", []).append(callback)


@sa.event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    # The change is stored: a failing follow-up (a room event, a job, a node command) is
    # logged and must neither hide that from the user nor keep the others from running.
    callbacks = session.info.pop("after_commit", [])
    for callback in callbacks:
        try:
            callback()
        except Exception:
            logger.exception("a follow-up after commit failed")


@sa.event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop("after_commit", None)
