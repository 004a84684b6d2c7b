"""Worker threads inside the web process, for the embedded setup without Redis (`make dev`).

With Redis the Procfile's ``worker`` process runs the actors instead, and this starts nothing.
"""

from __future__ import annotations

import logging

import dramatiq

import workers.actors  # noqa: F401  (registers the actors on the broker)
from app.settings import get_settings
from workers.broker import get_broker

logger = logging.getLogger(__name__)

_worker: dramatiq.Worker | None = None


def start() -> dramatiq.Worker | None:
    """Run worker threads in this process when there is no Redis (dev default)."""
    global _worker
    if get_settings().redis_url or _worker is not None:
        return _worker
    _worker = dramatiq.Worker(get_broker(), worker_threads=get_settings().worker_threads)
    _worker.start()
    logger.info("in-process worker started with %d threads", get_settings().worker_threads)
    return _worker


def stop() -> None:
    """Stop the in-process worker threads (web process shutdown, tests)."""
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None
