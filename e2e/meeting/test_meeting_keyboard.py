"""A guest joins and uses every room control with the keyboard alone (Tab, Enter, Space,
arrow keys), always seeing where the focus is; the host's "end for everyone" dialog keeps the
focus inside and gives it back; a live region tells the host who joined, raised a hand, left."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.meeting.conftest import Stack, meeting_stack, person
from e2e.meeting.test_meeting_room import invite, open_room_as_advisor, sees_video_of

pytestmark = pytest.mark.timeout(600)

LAPTOP = {"width": 1366, "height": 768}

# The focused element, and whether a focus ring shows: an outline on it (or its ::before),
# on its first child (a tab's label), or on the field box around an input.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {id: "", shown: true};  // focus left the page
  const ring = (node, pseudo) => {
    if (!node) return false;
    const s = getComputedStyle(node, pseudo);
    return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  };
  let shown = ring(el) || ring(el, "::before") || ring(el.firstElementChild);
  for (let up = el.parentElement, i = 0; !shown && up && i < 2; up = up.parentElement, i++) shown = ring(up);
  const name = el.id || el.getAttribute("aria-label") || el.textContent.trim().slice(0, 30);
  return {id: name, shown: shown && el.matches(":focus-visible")};
}"""


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with meeting_stack(nodes=1) as running:
        yield running


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus; every stop on the way shows its focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(FOCUS)
        assert focus["shown"], f"no visible focus on {focus['id']!r} (tabbing to {selector})"
        if target.evaluate(
            "el => el === document.activeElement || el.contains(document.activeElement)"
        ):
            return
    raise AssertionError(f"{selector} not reached with the keyboard")


def announced(page: Page, text: str) -> None:
    expect(page.locator("#meeting-announcement")).to_have_text(re.compile(text))


def test_a_guest_joins_and_uses_every_control_with_the_keyboard_alone(
    browser: Browser, stack: Stack
) -> None:
    with (
        person(browser, stack.app_url, viewport=LAPTOP) as advisor,
        person(browser, stack.app_url, viewport=LAPTOP) as guest,
    ):
        open_room_as_advisor(advisor, "Beratung ohne Maus")
        link = invite(advisor, "")

        # Joining: name, consent, join, all from the keyboard.
        guest.goto(link.replace(stack.app_url, ""))
        guest.wait_for_function("document.getElementById('meeting-preview')?.videoWidth > 0")
        tab_to(guest, "#meeting-name")
        guest.keyboard.type("Paul Gast")
        tab_to(guest, "#meeting-consent")
        guest.keyboard.press("Space")
        expect(guest.locator("#meeting-consent")).to_have_attribute("data-state", "checked")
        tab_to(guest, "#meeting-join")
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-connection")).to_have_text("Verbunden", timeout=30_000)
        sees_video_of(guest, 1)
        announced(advisor, "Paul Gast ist beigetreten")

        # Microphone and camera: Space and Enter switch them, the buttons say so.
        mic, cam = guest.locator("#meeting-mic"), guest.locator("#meeting-cam")
        tab_to(guest, "#meeting-mic")
        guest.keyboard.press("Space")
        expect(mic).to_have_attribute("aria-pressed", "true")
        expect(mic).to_have_attribute("aria-label", "Mikrofon einschalten")
        guest.keyboard.press("Enter")
        expect(mic).to_have_attribute("aria-pressed", "false")
        guest.keyboard.press("ArrowRight")  # the control bar is a toolbar: arrows move too
        expect(cam).to_be_focused()
        guest.keyboard.press("Enter")
        expect(cam).to_have_attribute("aria-pressed", "true")
        guest.keyboard.press("Space")
        expect(cam).to_have_attribute("aria-pressed", "false")

        # Raising a hand is announced to the host.
        tab_to(guest, "#meeting-hand")
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-hand")).to_have_attribute("aria-pressed", "true")
        announced(advisor, "Paul Gast hat die Hand gehoben")

        # The side panel: closed and opened from its button, tabs chosen with the arrows.
        people = guest.locator("#meeting-people")
        tab_to(guest, "#meeting-people")
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-panel")).to_be_hidden()
        expect(people).to_have_attribute("aria-expanded", "false")
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-panel")).to_be_visible()
        expect(people).to_have_attribute("aria-expanded", "true")
        tab_to(guest, "#meeting-panel [role=tab][data-state=active]")
        guest.keyboard.press("ArrowRight")
        expect(guest.get_by_role("tab", name="Chat")).to_have_attribute("data-state", "active")
        tab_to(guest, "#meeting-chat-input")
        guest.keyboard.type("Hallo per Tastatur")
        guest.keyboard.press("Enter")
        expect(guest.locator(".chat-line", has_text="Hallo per Tastatur")).to_have_count(1)
        tab_to(guest, "#meeting-panel [role=tab][data-state=active]", backwards=True)
        guest.keyboard.press("ArrowRight")
        expect(guest.get_by_role("tab", name="Handy")).to_have_attribute("data-state", "active")
        tab_to(guest, "#meeting-handover")
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-handover-qr")).to_be_visible()
        tab_to(guest, "#meeting-panel [role=tab][data-state=active]", backwards=True)
        guest.keyboard.press("ArrowRight")
        expect(guest.get_by_role("tab", name="Geräte")).to_have_attribute("data-state", "active")
        tab_to(guest, "#meeting-camera-select")
        tab_to(guest, "#meeting-panel-close", backwards=True)
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-panel")).to_be_hidden()
        tab_to(guest, "#meeting-chat-toggle")
        guest.keyboard.press("Enter")
        expect(guest.get_by_role("tab", name="Chat")).to_have_attribute("data-state", "active")

        # Leaving.
        tab_to(guest, "#meeting-leave")
        guest.keyboard.press("Enter")
        expect(guest.locator("#meeting-closed")).to_be_visible()
        announced(advisor, "Paul Gast hat die Besprechung verlassen")

        # The host's "end for everyone": the dialog holds the focus (cancel first), Escape
        # closes it and the focus is back on the button; then ending it from the keyboard.
        tab_to(advisor, "#meeting-end")
        advisor.keyboard.press("Enter")
        dialog = advisor.get_by_role("alertdialog")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name="Abbrechen")).to_be_focused()
        for _ in range(4):
            advisor.keyboard.press("Tab")
            assert dialog.evaluate("d => d.contains(document.activeElement)")
        advisor.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(advisor.locator("#meeting-end")).to_be_focused()
        advisor.keyboard.press("Enter")
        expect(dialog.get_by_role("button", name="Abbrechen")).to_be_focused()
        advisor.keyboard.press("Tab")
        expect(advisor.locator(".confirm-end")).to_be_focused()
        advisor.keyboard.press("Enter")
        expect(advisor.locator("#meeting-closed")).to_have_text(re.compile("beendet"))
