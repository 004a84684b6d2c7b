"""Starts Consilio as `make dev` does (embedded default, demo data) and drives Debian's Chromium.

Screenshots of every visited page at phone and desktop size land in artifacts/screenshots.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _wait_until_up(
    url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 600
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text()[-4000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=5) as response,  # noqa: S310 (loopback)
        ):
            if response.status == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"app did not start within {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """A running Consilio on a free loopback port with a fresh SQLite database."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("chromium missing: make test installs it (apt-get install chromium)")
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="consilio-e2e-"))
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CONSILIO_DATABASE_URL": f"sqlite:///{workdir / 'e2e.db'}",
        "CONSILIO_PORT": str(port),
        "CONSILIO_PUBLIC_URL": base,
        "CONSILIO_ARGON2_MEMORY_KIB": "8192",
        "PYTHONPATH": str(ROOT),
        # Reflex needs Node >= 22 / bun: the project-local ones `make install` puts in .tools.
        "PATH": f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
    }
    env.pop("CONSILIO_REDIS_URL", None)
    for command in ("migrate", "seed"):
        subprocess.run([sys.executable, "-m", "app.manage", command], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "-m", "e2e.seed_extra"], cwd=ROOT, env=env, check=True)
    log = workdir / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(f"{base}/t/demo/login", proc, log)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A fresh browser profile (no cookies) at desktop size."""
    context = browser.new_context(viewport=DESKTOP, base_url=app_url, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def screenshots(page: Page, name: str) -> None:
    """Save the current page at phone and desktop width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)
