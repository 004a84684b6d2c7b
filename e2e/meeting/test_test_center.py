"""The test center in real Chromium: browser, fake camera and microphone, the speaker answer,
and the network to a real media node directly, via STUN and through coturn, then the report.

The verdict waits until every check has finished; a platform without a TURN relay shows its
visitors nothing about it (they cannot fix it), while its super admin reads it on the
platform's health page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from app import routes
from e2e.conftest import PHONE, screenshots, sign_in
from e2e.meeting.conftest import Stack, meeting_stack, person

pytestmark = pytest.mark.timeout(420)

# Watches the page from before the start: any verdict shown while a line still runs is noted.
WATCH_VERDICT = """() => {
  window.__early = [];
  window.__seen = new Set();
  const look = () => {
    const overall = document.querySelector('#test-center-overall');
    const state = overall ? overall.dataset.overall : '';
    if (state) window.__seen.add(state);
    if (state && state !== 'checking' && document.querySelector("li.test-line[data-status='running']"))
      window.__early.push(state + ': ' + overall.textContent);
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true,
    attributes: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with meeting_stack(nodes=1, relay=True) as running:
        yield running


def line(page: Page, check: str) -> Locator:
    return page.locator(f"li.test-line[data-check='{check}']")


def run_until_finished(page: Page) -> None:
    """Start the test and wait until no line runs; no verdict may show before that."""
    page.evaluate(WATCH_VERDICT)
    page.locator("#test-center-start").click()
    expect(page.locator("#test-center-overall")).to_have_attribute("data-overall", "checking")
    expect(page.locator("#test-center-overall")).to_contain_text(re.compile(r"\d+ / \d+"))
    expect(page.locator("li.test-line[data-status='running']")).to_have_count(0, timeout=90_000)
    assert page.evaluate("window.__early") == []
    assert "checking" in page.evaluate("[...window.__seen]")


def test_visitor_checks_devices_and_network_and_copies_a_report(
    browser: Browser, stack: Stack
) -> None:
    with person(browser, stack.app_url, locale="en-US", viewport=PHONE) as page:
        page.goto("/test-center")
        expect(page.get_by_role("heading", name="Test center")).to_be_visible()
        expect(line(page, "camera")).to_have_attribute("data-status", "pending")
        expect(line(page, "relay")).to_have_count(1)  # this platform offers a relay
        run_until_finished(page)

        for check in ("browser", "camera", "microphone"):
            expect(line(page, check)).to_have_attribute("data-status", "pass")
        expect(line(page, "camera")).to_contain_text(" x ")
        for check in ("direct", "stun", "relay", "bandwidth", "rtt", "loss"):
            expect(line(page, check)).to_have_attribute("data-status", "pass")
        expect(line(page, "bandwidth")).to_contain_text("kbit/s")
        expect(line(page, "relay")).to_contain_text(" ms")

        # The speaker needs the person's word: until then, no verdict.
        expect(line(page, "speaker")).to_have_attribute("data-status", "pending")
        overall = page.locator("#test-center-overall")
        expect(overall).to_have_attribute("data-overall", "awaiting")
        expect(overall).to_contain_text("play the test sound")
        page.locator("#test-center-play").click()
        page.locator("#test-center-not-heard").click()
        expect(line(page, "speaker")).to_have_attribute("data-status", "fail")
        expect(line(page, "speaker")).to_contain_text("Turn the volume up")
        expect(overall).to_contain_text("needs fixing")
        page.locator("#test-center-heard").click()
        expect(line(page, "speaker")).to_have_attribute("data-status", "pass")
        expect(overall).to_contain_text("All set")

        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.locator("#test-center-report-button").click()
        report = page.locator("#test-center-report")
        expect(report).to_contain_text("Consilio test center report")
        expect(report).to_contain_text("[OK] Connection through the relay (TURN)")
        text = report.input_value()
        assert "Chrome" in text and "Console errors: 0" in text, text
        assert page.evaluate("navigator.clipboard.readText()") == text
        screenshots(page, "test-center")


def test_super_admin_sees_the_relay_answering_on_the_health_page(
    browser: Browser, stack: Stack
) -> None:
    with person(browser, stack.app_url, locale="en-US") as page:
        sign_in(page, "super@consilio.example", tenant="platform")
        expect(page).to_have_url(re.compile(r"/platform/tenants$"))
        page.goto(f"/t/platform{routes.PLATFORM_HEALTH}")
        for check in ("database", "media_nodes", "turn"):
            finding = page.locator(f"li.health-line[data-check='{check}']")
            expect(finding).to_have_attribute("data-status", "ok")
        expect(page.locator("li.health-line[data-check='turn']")).to_contain_text("turn:127.0.0.1")


@pytest.fixture(scope="module")
def stack_without_relay() -> Iterator[Stack]:
    """The same platform with no TURN relay configured."""
    with meeting_stack(nodes=1, relay=False) as running:
        yield running


def test_visitor_is_not_told_about_a_relay_the_platform_lacks(
    browser: Browser, stack_without_relay: Stack
) -> None:
    with person(browser, stack_without_relay.app_url, locale="en-US") as page:
        page.goto("/test-center")
        expect(line(page, "camera")).to_have_attribute("data-status", "pending")
        run_until_finished(page)
        page.locator("#test-center-heard").click()

        checks = page.locator("li.test-line").evaluate_all("(ls) => ls.map(l => l.dataset.check)")
        assert checks == [
            "browser",
            "camera",
            "microphone",
            "speaker",
            "direct",
            "bandwidth",
            "rtt",
            "loss",
        ]
        for check in ("browser", "camera", "microphone", "speaker", "direct"):
            expect(line(page, check)).to_have_attribute("data-status", "pass")
        # Bandwidth and the rest are graded as measured (a loaded machine may warn).
        expect(page.locator("#test-center-overall")).to_have_attribute(
            "data-overall", re.compile("^(pass|warn)$")
        )
        results = page.locator("ul.test-lines").inner_text()
        assert not re.search(r"relay|TURN|STUN|platform", results, re.IGNORECASE), results
        screenshots(page, "test-center-no-relay")


def test_super_admin_reads_the_missing_relay_on_the_health_page(
    browser: Browser, stack_without_relay: Stack
) -> None:
    with person(browser, stack_without_relay.app_url, locale="en-US") as page:
        sign_in(page, "super@consilio.example", tenant="platform")
        expect(page).to_have_url(re.compile(r"/platform/tenants$"))
        page.get_by_role("link", name="Platform health").click()
        expect(page).to_have_url(re.compile(r"/t/platform/platform/health$"))
        expect(page).to_have_title("Platform health · Consilio Platform")
        turn = page.locator("li.health-line[data-check='turn']")
        expect(turn).to_have_attribute("data-status", "warn")
        expect(turn).to_contain_text("CONSILIO_TURN_URLS")
        media = page.locator("li.health-line[data-check='media_nodes']")
        expect(media).to_have_attribute("data-status", "ok")
        page.mouse.move(600, 700)  # not hovering the navigation in the screenshots
        screenshots(page, "platform-health")
        problems = page.request.get("/api/health").json()["problems"]
        assert problems == ["turn_missing"]
