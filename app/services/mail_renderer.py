"""Renders tenant mail templates in sandbox child processes, with a wall-clock timeout.

The web backend and the workers never run a tenant's template themselves: they hand it to a
child process (``app.services.mail_sandbox``, limited in CPU time and memory) and wait at
most :data:`WALL_SECONDS`. A child that does not answer in time is killed and replaced, so a
template built to hang costs one child for a few seconds and the caller gets
``error.template_too_expensive``. Children are reused between renders (starting one costs
about a tenth of a second) and at most :data:`CHILDREN` render at once per process; more
callers wait their turn (a render normally takes a millisecond).

:func:`render_parts` blocks only the calling thread: while it waits on the child it holds
no lock the event loop needs (not even the GIL), so a worker thread may call it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from app.services.errors import InvalidInput

_SANDBOX = str(Path(__file__).with_name("mail_sandbox.py"))
"""The child's program, run as a script in isolated mode: it imports only Jinja."""

logger = logging.getLogger(__name__)

WALL_SECONDS = 3.0
"""How long a caller waits for one render before the child is killed."""
CHILDREN = 2
"""Children rendering at once per process (the CPU limit keeps each to one core)."""
MAX_REPLY_BYTES = 4 * 1024 * 1024


def _child_environment() -> dict[str, str]:
    """The little a render child needs: no key, no database URL, no SMTP password.

    A template that escaped Jinja's sandbox would find nothing of the platform's in its
    process's environment (nor in files: the child imports only Jinja and reads no settings).
    """
    return {"PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}


class _Child:
    """One sandbox process and its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own script, no input in argv)
            [sys.executable, "-I", _SANDBOX],
            cwd="/",
            env=_child_environment(),
            close_fds=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        self._buffer = b""

    def ask(self, request: bytes, deadline: float) -> dict[str, Any] | None:
        """Send one request and wait for its reply line (None: no reply before ``deadline``)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(request)
        except OSError:
            return None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or len(self._buffer) > MAX_REPLY_BYTES:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:  # the child died (CPU or memory limit)
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def kill(self) -> None:
        """Stop the child for good."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


class _Pool:
    """Idle children and a limit on renders running at once."""

    def __init__(self, size: int) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[_Child] = []

    def render(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        data = (json.dumps(request) + "\n").encode()
        with self._slots:
            with self._lock:
                child = self._idle.pop() if self._idle else None
            if child is None or child.process.poll() is not None:
                child = _Child()
            started = time.monotonic()
            reply = child.ask(data, started + timeout)
            if reply is None:
                logger.warning(
                    "mail template render stopped after %.1f s (child %d replaced)",
                    time.monotonic() - started,
                    child.process.pid,
                )
                child.kill()
                return {"error": "too_expensive"}
            with self._lock:
                self._idle.append(child)
            return reply

    def close(self) -> None:
        with self._lock:
            children, self._idle = self._idle, []
        for child in children:
            child.kill()


_pool = _Pool(CHILDREN)
atexit.register(_pool.close)


def render_parts(
    subject: str, html: str, text: str, values: dict[str, Any], *, timeout: float = WALL_SECONDS
) -> dict[str, str]:
    """Render a template's subject, HTML body and text body in a sandbox child.

    Blocks the calling thread for at most about ``timeout`` seconds (plus waiting for a free
    child). ``values`` must be JSON-serialisable.

    Returns:
        ``subject``, ``html`` and ``text`` as rendered.

    Raises:
        InvalidInput: ``error.template_too_expensive`` when a limit was hit or time ran out;
            ``error.template_invalid`` (with Jinja's message) when the source is broken.
    """
    reply = _pool.render(
        {"subject": subject, "html": html, "text": text, "values": values}, timeout
    )
    if "ok" in reply:
        rendered: dict[str, str] = reply["ok"]
        return rendered
    if reply.get("error") == "invalid":
        raise InvalidInput("error.template_invalid", detail=str(reply.get("detail", ""))[:200])
    raise InvalidInput("error.template_too_expensive")


def stop_children() -> None:
    """Stop the idle sandbox children (process shutdown, tests)."""
    _pool.close()
