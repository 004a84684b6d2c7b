"""Starts Consilio as `make dev` does (embedded default, demo data) and drives Debian's Chromium.

Screenshots of every visited page at phone and desktop size land in artifacts/screenshots.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from app import routes
from app.services.demo import DEMO_PASSWORD
from e2e.accessibility import assert_accessible
from tests.app_server import running_app
from tests.dns_server import TxtZone, dns_server

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # A tenant's own domain (e2e/seed_extra.py) reaches the app on loopback.
    "--host-resolver-rules=MAP bank-am-see.example 127.0.0.1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def dns() -> Iterator[tuple[TxtZone, str]]:
    """The DNS server (on loopback) the app asks for custom-domain proofs: its zone, address."""
    with dns_server() as served:
        yield served


@pytest.fixture(scope="session")
def app_url(dns: tuple[TxtZone, str]) -> Iterator[str]:
    """A running Consilio on a free loopback port with a fresh SQLite database."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("chromium missing: make test installs it (apt-get install chromium)")
    with running_app(
        extra_env={"CONSILIO_ARGON2_MEMORY_KIB": "8192", "CONSILIO_DNS_NAMESERVERS": dns[1]},
        seed_modules=("e2e.seed_extra", "e2e.seed_dead_ends"),
    ) as app:
        yield app.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextlib.contextmanager
def fresh_tab(browser: Browser, app_url: str, locale: str) -> Iterator[Page]:
    """A tab in a fresh browser profile (no cookies) at desktop size, in ``locale``."""
    context = browser.new_context(viewport=DESKTOP, base_url=app_url, locale=locale)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A German visitor's tab."""
    with fresh_tab(browser, app_url, "de-DE") as tab:
        yield tab


def screenshots(page: Page, name: str) -> None:
    """Save the current page at phone and desktop width, and check it with axe-core at both."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")  # a sticky header would otherwise sit mid-page
        # Two animation frames: the layout for the new width has been painted.
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        assert_accessible(page, f"{name} ({label})")
    page.set_viewport_size(original)


def section_screenshots(page: Page, selector: str, name: str) -> None:
    """Save one part of the current page at phone and desktop width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
        page.locator(selector).screenshot(
            path=str(ARTIFACTS / f"{name}-{label}.png"),
            style="header { visibility: hidden; }",  # the sticky header would cover it
        )
    page.set_viewport_size(original)


def sign_in(page: Page, email: str, tenant: str = "demo", password: str = DEMO_PASSWORD) -> None:
    """Fill and submit the login form of ``tenant``."""
    page.goto(f"/t/{tenant}{routes.LOGIN}")
    page.locator("#field-email").fill(email)
    page.locator("#field-password").fill(password)
    page.locator("#login-submit").click()
