"""The whole meeting stack in real Chromium: app, media node(s), browsers with fake camera,
microphone and screen, all inside a network namespace that has only loopback.

`make test` runs these through tools/private-net.sh; anywhere else they refuse to run, since
WebRTC would otherwise use the machine's real interfaces.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.app_server import running_app
from tests.media.conftest import SECRET, media_node
from tests.private_network import require_private_network
from tests.servers import coturn, free_port, redis_server

MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--auto-select-desktop-capture-source=Entire screen",
]


@pytest.fixture(scope="session", autouse=True)
def _private_network() -> None:
    require_private_network("tools/private-net.sh .venv/bin/pytest e2e/meeting")
    os.environ["CONSILIO_SECRET_KEY"] = SECRET  # app, nodes and coturn's config share it
    os.environ["CONSILIO_ENVIRONMENT"] = "production"
    os.environ.pop("TEST_REDIS_URL", None)  # a server outside the namespace is unreachable


@dataclasses.dataclass(frozen=True)
class Stack:
    """A running app and the media nodes it places rooms on."""

    app_url: str
    nodes: dict[str, tuple[str, subprocess.Popen[bytes]]]  # node id -> (base URL, process)
    database_url: str = ""  # the app's database, to check what it stored


def _app_env(node_url: str, redis_url: str | None, turn_port: int | None) -> dict[str, str]:
    env = {
        "CONSILIO_SECRET_KEY": SECRET,
        "CONSILIO_ENVIRONMENT": "production",
        "CONSILIO_ARGON2_MEMORY_KIB": "8192",
        "CONSILIO_MEDIA_PUBLIC_URL": node_url,
        "CONSILIO_MEDIA_NODE_TTL_SECONDS": "3",
    }
    if redis_url:
        env["CONSILIO_REDIS_URL"] = redis_url
    if turn_port:
        env["CONSILIO_TURN_URLS"] = f"turn:127.0.0.1:{turn_port}?transport=udp"
    return env


@contextlib.contextmanager
def meeting_stack(*, nodes: int = 1, relay: bool = False) -> Iterator[Stack]:
    """The app plus ``nodes`` media nodes (two or more share a registry in Redis), and with
    ``relay`` a coturn on loopback whose STUN and TURN the app offers to browsers."""
    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server()) if nodes > 1 else None
        turn_port = stack.enter_context(coturn("test")) if relay else None
        app_port = free_port()
        events = f"http://127.0.0.1:{app_port}/api/media/events"
        node_settings = {
            "CONSILIO_MEDIA_EVENTS_URL": events,
            "CONSILIO_MEDIA_HEARTBEAT_SECONDS": "1",
            "CONSILIO_MEDIA_NODE_TTL_SECONDS": "3",
            **({"CONSILIO_REDIS_URL": redis_url} if redis_url else {}),
        }
        started = {
            f"node-{i}": stack.enter_context(media_node(f"node-{i}", **node_settings))
            for i in range(nodes)
        }
        first_url = next(iter(started.values()))[0]
        app_env = _app_env(first_url, redis_url, turn_port)
        # Every node's origin goes into the pages' CSP (connect-src), so rooms can move.
        app_env["CONSILIO_MEDIA_ORIGINS"] = " ".join(url for url, _proc in started.values())
        app = stack.enter_context(running_app(extra_env=app_env, port=app_port))
        yield Stack(app.url, started, app.env["CONSILIO_DATABASE_URL"])


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium with a fake camera, microphone and screen."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
        )
        yield instance
        instance.close()


@contextlib.contextmanager
def person(
    browser: Browser, app_url: str, *, locale: str = "de-DE", viewport: dict[str, int] = DESKTOP
) -> Iterator[Page]:
    """One person's browser profile."""
    context = browser.new_context(viewport=viewport, base_url=app_url, locale=locale)
    context.grant_permissions(["camera", "microphone"])
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()
