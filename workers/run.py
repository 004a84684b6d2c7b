"""The `worker` process of the Procfile: runs Dramatiq workers on the Redis broker.

Without Redis, jobs run on threads inside the web process, so this process only says so
and stays idle (a Procfile runner stops every process when one exits).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from app.services import keys
from app.settings import get_settings

logger = logging.getLogger("workers.run")


def main() -> int:
    """Start ``dramatiq workers.actors`` with Redis, else wait for a stop signal."""
    logging.basicConfig(
        level=get_settings().log_level, format="%(levelname)s %(name)s: %(message)s"
    )
    keys.refuse_unsafe_secret_key()
    if get_settings().redis_url:
        threads = str(get_settings().worker_threads)
        argv = [
            sys.executable,
            "-m",
            "dramatiq",
            "workers.actors",
            "--processes",
            "1",
            "--threads",
            threads,
        ]
        os.execv(sys.executable, argv)  # noqa: S606
    logger.info("no CONSILIO_REDIS_URL: jobs run inside the web process (in-process broker)")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
