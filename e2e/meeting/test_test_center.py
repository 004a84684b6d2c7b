"""The test center in real Chromium: browser, fake camera and microphone, the speaker answer,
and the network to a real media node directly, via STUN and through coturn, then the report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from e2e.conftest import PHONE, screenshots
from e2e.meeting.conftest import Stack, meeting_stack, person

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with meeting_stack(nodes=1, relay=True) as running:
        yield running


def line(page: Page, check: str) -> Locator:
    return page.locator(f"li.test-line[data-check='{check}']")


def test_visitor_checks_devices_and_network_and_copies_a_report(
    browser: Browser, stack: Stack
) -> None:
    with person(browser, stack.app_url, locale="en-US", viewport=PHONE) as page:
        page.goto("/test-center")
        expect(page.get_by_role("heading", name="Test center")).to_be_visible()
        expect(line(page, "camera")).to_have_attribute("data-status", "pending")
        page.locator("#test-center-start").click()

        expect(line(page, "browser")).to_have_attribute("data-status", "pass")
        expect(line(page, "camera")).to_have_attribute("data-status", "pass")
        expect(line(page, "camera")).to_contain_text(" x ")
        expect(line(page, "microphone")).to_have_attribute("data-status", "pass", timeout=15_000)
        for check in ("direct", "stun", "relay", "bandwidth", "rtt", "loss"):
            expect(line(page, check)).to_have_attribute("data-status", "pass", timeout=60_000)
        expect(line(page, "bandwidth")).to_contain_text("kbit/s")
        expect(line(page, "relay")).to_contain_text(" ms")

        # The speaker needs the person's word.
        expect(line(page, "speaker")).to_have_attribute("data-status", "pending")
        expect(page.locator("#test-center-overall")).to_contain_text("All set")
        page.locator("#test-center-play").click()
        page.locator("#test-center-not-heard").click()
        expect(line(page, "speaker")).to_have_attribute("data-status", "fail")
        expect(line(page, "speaker")).to_contain_text("Turn the volume up")
        expect(page.locator("#test-center-overall")).to_contain_text("needs fixing")
        page.locator("#test-center-heard").click()
        expect(line(page, "speaker")).to_have_attribute("data-status", "pass")

        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.locator("#test-center-report-button").click()
        report = page.locator("#test-center-report")
        expect(report).to_contain_text("Consilio test center report")
        expect(report).to_contain_text("[OK] Connection through the relay (TURN)")
        text = report.input_value()
        assert "Chrome" in text and "Console errors: 0" in text, text
        assert page.evaluate("navigator.clipboard.readText()") == text
        screenshots(page, "test-center")
