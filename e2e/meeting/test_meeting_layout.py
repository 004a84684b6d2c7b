"""The room fills the screen like any video product: on laptops and phones (portrait and
landscape) every control and every picture is in view and nothing scrolls, the panel's tab
row fits whole; alone, the room says who is expected; a waiting guest knocks and shows on
the stage; ending for everyone and removing someone ask first."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import ARTIFACTS, PHONE
from e2e.meeting.conftest import Stack, meeting_stack, person
from e2e.meeting.test_meeting_room import (
    invite,
    open_room_as_advisor,
    sees_video_of,
    turn_lobby_on,
)

pytestmark = pytest.mark.timeout(600)

SIZES = {
    "laptop-1366x768": (1366, 768),
    "laptop-1280x800": (1280, 800),
    "phone-390x844": (390, 844),
    "phone-landscape-844x390": (844, 390),
}

LEAVE = {"EN": "Leave", "FR": "Quitter", "IT": "Esci", "ES": "Salir", "DE": "Verlassen"}

# What lies (partly) outside the viewport: each control, each video tile, one's own picture;
# and whether the page scrolls at all.
OUT_OF_VIEW = """() => {
  const out = [];
  const check = (el, what) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) out.push(`${what}: not shown`);
    else if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
      out.push(`${what}: ${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}`);
  };
  document.querySelectorAll(".meeting-controls button").forEach((b) => check(b, b.id));
  document.querySelectorAll("#meeting-grid figure.meeting-tile").forEach((t, i) => check(t, `tile ${i}`));
  check(document.getElementById("meeting-self"), "own picture");
  const page = document.scrollingElement;
  if (page.scrollHeight > innerHeight + 1 || page.scrollWidth > innerWidth + 1) out.push("page scrolls");
  return out;
}"""

# Tabs of the open panel that do not fit its tab row (cut off, or only reachable by scrolling).
TABS_CUT_OFF = """() => {
  const list = document.querySelector("#meeting-panel [role=tablist]");
  const box = list.getBoundingClientRect();
  const out = list.scrollWidth > list.clientWidth + 1 ? ["the tab row scrolls"] : [];
  list.querySelectorAll("[role=tab]").forEach((tab) => {
    const r = tab.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(tab.textContent);
  });
  return out;
}"""


def settle(page: Page) -> None:
    """The layout for the current size is done (resize observer, two frames painted)."""
    page.wait_for_timeout(250)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def everything_in_view(page: Page, tiles: int) -> None:
    """At every size: ``tiles`` remote pictures, all controls and pictures inside the viewport."""
    original = page.viewport_size
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        expect(page.locator("#meeting-grid figure.meeting-tile")).to_have_count(tiles)
        settle(page)
        assert page.evaluate(OUT_OF_VIEW) == [], name
    if original:
        page.set_viewport_size(original)


def shots(
    page: Page, name: str, sizes: tuple[str, ...] = ("phone-390x844", "laptop-1366x768")
) -> None:
    """Screenshots of the viewport (the room is exactly one screen) at phone and laptop size."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label in sizes:
        width, height = SIZES[label]
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"))
    if original:
        page.set_viewport_size(original)


def tabs_fit(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    settle(page)
    expect(page.locator("#meeting-panel [role=tablist]")).to_be_visible()
    assert page.evaluate(TABS_CUT_OFF) == [], f"{width}x{height}"


@pytest.fixture(scope="module")
def stack(browser: Browser) -> Iterator[Stack]:
    with meeting_stack(nodes=1) as running:
        turn_lobby_on(browser, running.app_url)
        yield running


def test_the_room_fits_the_screen_and_guides_the_advisor_from_alone_to_ending_it(
    browser: Browser, stack: Stack
) -> None:
    with person(browser, stack.app_url, viewport={"width": 1366, "height": 768}) as advisor:
        open_room_as_advisor(advisor, "Beratung Hausratversicherung")
        # Alone: no empty dark box, but what to do now.
        expect(advisor.locator(".meeting-alone-card")).to_be_visible()
        expect(advisor.get_by_text("Es ist noch niemand sonst eingeladen.")).to_be_visible()
        expect(advisor.locator("#meeting-alone-test-center")).to_have_attribute(
            "href", re.compile(r"/test-center$")
        )
        everything_in_view(advisor, 0)
        advisor.locator("#meeting-panel-close").click()
        shots(advisor, "meeting-alone")
        advisor.locator("#meeting-alone-invite").click()  # opens the panel on "invite"
        expect(advisor.locator("#meeting-invite-name")).to_be_visible()
        link = invite(advisor, "Paul Gast")
        expect(advisor.locator("#meeting-expected")).to_contain_text("Paul Gast")
        advisor.locator("#meeting-panel-close").click()

        with person(browser, stack.app_url, viewport=PHONE) as guest:
            guest.goto(link.replace(stack.app_url, ""))
            # A guest's page has no site navigation and no sign-in button.
            expect(guest.locator("#meeting-name")).to_be_visible()
            expect(guest.get_by_role("link", name="Anmelden")).to_have_count(0)
            expect(guest.get_by_role("button", name="Anmelden")).to_have_count(0)
            guest.locator("#meeting-name").fill("Paul Gast")
            guest.locator("#meeting-consent").click()
            guest.locator("#meeting-join").click()
            expect(guest.locator("#meeting-lobby")).to_be_visible()

            # The advisor hears a knock and sees the guest on the stage, panel open or not.
            banner = advisor.locator("#meeting-lobby-banner")
            expect(banner).to_contain_text("Paul Gast")
            expect(advisor.locator("#meeting-people")).to_have_attribute(
                "aria-label", "Teilnehmende (1 wartend)"
            )
            expect(advisor.locator("#meeting-announcement")).to_have_text(
                re.compile("Paul Gast wartet im Warteraum")
            )
            advisor.wait_for_function("window.consilioRoom.chimesPlayed >= 1")
            shots(advisor, "meeting-lobby-waiting")
            banner.locator(".admit-guest").click()
            expect(guest.locator("#meeting-connection")).to_have_text("Verbunden", timeout=30_000)
            expect(banner).to_have_count(0)
            sees_video_of(advisor, 1)
            sees_video_of(guest, 1)
            expect(advisor.locator("#meeting-announcement")).to_have_text(
                re.compile("Paul Gast ist beigetreten")
            )

            # With someone there: all controls and pictures in view at every size, for both.
            everything_in_view(advisor, 1)
            everything_in_view(guest, 1)
            shots(advisor, "meeting-with-guest-advisor")
            shots(guest, "meeting-with-guest-guest")
            # In the room the guest sees no sign-in either; the tab holding "continue on
            # your phone" says so.
            expect(guest.get_by_role("link", name="Anmelden")).to_have_count(0)
            guest.locator("#meeting-people").click()
            expect(guest.get_by_role("tab", name="Handy")).to_be_visible()
            tabs_fit(guest, 390, 844)
            guest.locator("#meeting-panel-close").click()
            expect(guest.locator("#meeting-panel")).to_be_hidden()

            # The panel's tabs fit whole on a wide screen and on a phone.
            advisor.locator("#meeting-people").click()
            expect(advisor.locator("#meeting-panel")).to_be_visible()
            tabs_fit(advisor, 1440, 900)
            tabs_fit(advisor, 390, 844)
            shots(advisor, "meeting-panel-open")
            for language, leave_label in LEAVE.items():  # the longest labels are not German
                advisor.locator(".meeting-header .rt-SelectTrigger").click()
                advisor.get_by_role("option", name=language).click()
                expect(advisor.locator("#meeting-leave")).to_have_attribute(
                    "aria-label", leave_label
                )
                tabs_fit(advisor, 1440, 900)
                tabs_fit(advisor, 390, 844)
            advisor.set_viewport_size({"width": 1366, "height": 768})

            # Removing someone asks first; cancel changes nothing.
            row = advisor.locator(".participant-row", has_text="Paul Gast")
            row.locator(".remove-participant").click()
            dialog = advisor.get_by_role("alertdialog")
            expect(dialog).to_contain_text("Diese Person aus der Besprechung entfernen?")
            shots(advisor, "meeting-confirm-remove")
            dialog.get_by_role("button", name="Abbrechen").click()
            expect(dialog).to_have_count(0)
            expect(row).to_be_visible()

            # "End for everyone" sits beside "Leave", both red; it asks first.
            end, leave = advisor.locator("#meeting-end"), advisor.locator("#meeting-leave")
            assert end.get_attribute("data-accent-color") == "red"
            assert leave.get_attribute("data-accent-color") == "red"
            end_box, leave_box = end.bounding_box(), leave.bounding_box()
            assert end_box and leave_box and abs(end_box["y"] - leave_box["y"]) < 2
            end.click()
            expect(dialog).to_contain_text("Besprechung für alle beenden?")
            shots(advisor, "meeting-confirm-end")
            dialog.get_by_role("button", name="Abbrechen").click()
            expect(guest.locator("#meeting-connection")).to_have_text("Verbunden")
            end.click()
            advisor.locator(".confirm-end").click()
            expect(guest.locator("#meeting-closed")).to_have_text(re.compile("beendet"))
            expect(advisor.locator("#meeting-closed")).to_have_text(re.compile("beendet"))
