"""Media tests run a real media node and aiortc peers, inside a private network namespace.

`make test` starts them through tools/private-net.sh; anywhere else they refuse to run (they
would send WebRTC media over the machine's real interfaces), rather than being skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from app.services import media_signals
from app.settings import get_settings
from media_nodes.ice import restrict_host_addresses
from tests.private_network import require_private_network
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = secrets.token_urlsafe(48)  # a production-grade key: the nodes run as in production


@pytest.fixture(scope="session", autouse=True)
def _private_network() -> None:
    require_private_network("tools/private-net.sh .venv/bin/pytest tests/media")
    os.environ["CONSILIO_SECRET_KEY"] = SECRET
    os.environ.pop("TEST_REDIS_URL", None)  # a server outside the namespace is unreachable
    get_settings.cache_clear()
    restrict_host_addresses(["127.0.0.1"])  # the test's own aiortc peers


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"media node exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):  # noqa: S310
            return
        time.sleep(0.2)
    raise RuntimeError(f"media node did not start:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def media_node(name: str, **settings: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A media node process on a free loopback port: (base URL, process)."""
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix=f"consilio-node-{name}-")) / "node.log"
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CONSILIO_SECRET_KEY": SECRET,
        "CONSILIO_MEDIA_PORT": str(port),
        "CONSILIO_MEDIA_PUBLIC_URL": base,
        "CONSILIO_MEDIA_NODE_ID": name,
        "CONSILIO_MEDIA_ICE_ADDRESSES": "127.0.0.1",
        "CONSILIO_MEDIA_EVENTS_URL": "off",
        "PYTHONPATH": str(ROOT),
        **settings,
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "media_nodes"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        _wait(f"{base}/health", proc, log)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # stop now (SIGTERM would drain)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def node() -> Iterator[str]:
    """One media node without a registry (the dev layout); yields its base URL."""
    with media_node("solo") as (base, _proc):
        yield base


@contextlib.asynccontextmanager
async def presence_reports() -> AsyncIterator[tuple[str, asyncio.Queue[tuple[str, str, bool]]]]:
    """A stand-in for the app's /api/media/events: (its URL, the verified reports)."""
    reports: asyncio.Queue[tuple[str, str, bool]] = asyncio.Queue()

    async def receive(request: web.Request) -> web.Response:
        await reports.put(media_signals.verify_presence(await request.text()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/api/media/events", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/api/media/events", reports
    finally:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client for the test (signaling sockets, health, control)."""
    async with aiohttp.ClientSession() as session:
        yield session
