"""Renders tenant mail templates in sandbox child processes, with a wall-clock timeout.

The web backend and the workers never run a tenant's template themselves: they hand it to a
child process (``app.services.mail_sandbox``, limited in CPU time and memory) and wait at
most :data:`WALL_SECONDS`. A child that does not answer in time is killed and replaced, so a
template built to hang costs one child for a few seconds and the caller gets
``error.template_too_expensive``. Children are reused between renders (starting one costs
about a tenth of a second) and at most :data:`CHILDREN` render at once per process. Callers
wait for a free child, but not for long: an outgoing mail at most
``CONSILIO_MAIL_RENDER_WAIT_SECONDS``; a tenant admin's preview (:func:`preview_turn`: one per
tenant at a time, in all children but one) ``CONSILIO_MAIL_PREVIEW_WAIT_SECONDS``, then "busy,
try again". A waiting caller holds a handler thread, so without these bounds a few expensive
previews held every handler thread of the process.

The child's HTML is cleaned here from an allowlist (``app.services.mail_html``, nh3):
neither a template nor a child can leave markup open around the layout's personal-link
button. The child runs with a minimal environment (no secrets).

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.services.errors import InvalidInput
from app.services.mail_html import safe_html
from app.settings import get_settings

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
    """Idle children, a limit on renders running at once, and the previews' share of it."""

    def __init__(self, size: int) -> None:
        self._slots = threading.BoundedSemaphore(size)
        # Previews take at most all slots but one: outgoing mails always find one that no
        # tenant's previews hold.
        self._preview_slots = threading.BoundedSemaphore(max(1, size - 1))
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        self._previewing: set[int] = set()

    def render(self, request: dict[str, Any], timeout: float, wait: float) -> dict[str, Any]:
        data = (json.dumps(request) + "\n").encode()
        if not self._slots.acquire(timeout=wait):
            return {"error": "busy"}
        try:
            return self._render_in_slot(data, timeout)
        finally:
            self._slots.release()

    def _render_in_slot(self, data: bytes, timeout: float) -> dict[str, Any]:
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

    @contextlib.contextmanager
    def preview_turn(self, tenant_id: int, wait: float) -> Iterator[None]:
        """One preview per tenant at a time, in the previews' share of the slots."""
        with self._lock:
            if tenant_id in self._previewing:
                raise InvalidInput("error.template_busy")
            self._previewing.add(tenant_id)
        try:
            if not self._preview_slots.acquire(timeout=wait):
                raise InvalidInput("error.template_busy")
            try:
                yield
            finally:
                self._preview_slots.release()
        finally:
            with self._lock:
                self._previewing.discard(tenant_id)

    def close(self) -> None:
        with self._lock:
            children, self._idle = self._idle, []
        for child in children:
            child.kill()


_pool = _Pool(CHILDREN)
atexit.register(_pool.close)


def preview_turn(tenant_id: int) -> contextlib.AbstractContextManager[None]:
    """Hold this while a tenant admin's preview (or a save's checks) renders.

    At most one per tenant at a time, and all tenants' previews together in all render slots
    but one, waiting at most ``CONSILIO_MAIL_PREVIEW_WAIT_SECONDS`` for their share: so an
    admin sending many previews at once holds one handler thread, not all of them, and
    outgoing mails (every tenant's password resets) always find a slot.

    Raises:
        InvalidInput: ``error.template_busy`` ("busy, try again").
    """
    return _pool.preview_turn(tenant_id, get_settings().mail_preview_wait_seconds)


def render_parts(
    subject: str,
    html: str,
    text: str,
    values: dict[str, Any],
    *,
    forbidden: frozenset[str] = frozenset(),
    wait: float | None = None,
    timeout: float = WALL_SECONDS,
) -> dict[str, str]:
    """Render a template's subject, HTML body and text body in a sandbox child.

    Blocks the calling thread for at most ``wait`` seconds for a free child (default
    ``CONSILIO_MAIL_RENDER_WAIT_SECONDS``) plus about ``timeout`` for the render.
    ``values`` must be JSON-serialisable.

    Returns:
        ``subject``, ``html`` (cleaned by :func:`app.services.mail_html.safe_html`) and
        ``text`` as rendered.

    Raises:
        InvalidInput: ``error.template_too_expensive`` when a limit was hit or time ran out;
            ``error.template_invalid`` (with Jinja's message) when the source is broken;
            ``error.template_personal_link`` when it uses one of ``forbidden``;
            ``error.mail_busy`` when no child was free in time.
    """
    if wait is None:
        wait = get_settings().mail_render_wait_seconds
    request = {
        "subject": subject,
        "html": html,
        "text": text,
        "values": values,
        "forbidden": sorted(forbidden),
    }
    reply = _pool.render(request, timeout, wait)
    ok = reply.get("ok")
    if isinstance(ok, dict):
        subject_out, text_out = ok.get("subject"), ok.get("text")
        if isinstance(subject_out, str) and isinstance(text_out, str):
            return {"subject": subject_out, "html": safe_html(ok.get("html")), "text": text_out}
    error = reply.get("error")
    if error == "invalid":
        raise InvalidInput("error.template_invalid", detail=str(reply.get("detail", ""))[:200])
    if error == "forbidden":
        raise InvalidInput("error.template_personal_link")
    if error == "busy":
        raise InvalidInput("error.mail_busy")
    raise InvalidInput("error.template_too_expensive")


def stop_children() -> None:
    """Stop the idle sandbox children (process shutdown, tests)."""
    _pool.close()
