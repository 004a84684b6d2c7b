"""An advisor and a customer meet in real Chromium through a real media node: they see each
other, share a screen, chat with a file, and the advisor moderates."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import PHONE, screenshots, sign_in
from e2e.csp import csp_watch
from e2e.meeting.conftest import Stack, meeting_stack, person
from tests.polling import wait_until

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with meeting_stack(nodes=1) as running:
        yield running


def sees_video_of(
    page: Page, others: int, selector: str = "#meeting-grid video.remote-video"
) -> None:
    """``others`` remote pictures, each decoding more frames over time."""
    page.wait_for_function(
        """([n, sel]) => { const v = [...document.querySelectorAll(sel)];
                          return v.length === n && v.every(x => x.videoWidth > 0); }""",
        arg=[others, selector],
        timeout=30_000,
    )
    count = f"[...document.querySelectorAll('{selector}')].map(v => v.getVideoPlaybackQuality().totalVideoFrames)"
    before = page.evaluate(count)
    page.wait_for_function(  # every picture keeps decoding new frames
        f"before => ({count}).every((n, i) => n > before[i])", arg=before, timeout=10_000
    )


AUDIO_PACKETS = """async () => {
  let total = 0;
  for (const s of window.consilioMeetingClient.subscriptions.values()) {
    (await s.pc.getStats()).forEach(r => {
      if (r.type === "inbound-rtp" && r.kind === "audio") total += r.packetsReceived;
    });
  }
  return total;
}"""


RECEIVED_VIDEO_CODECS = """async () => {
  const codecs = new Set();
  for (const s of window.consilioMeetingClient.subscriptions.values()) {
    const stats = await s.pc.getStats();
    stats.forEach(r => {
      if (r.type === "inbound-rtp" && r.kind === "video") codecs.add(stats.get(r.codecId).mimeType);
    });
  }
  return [...codecs];
}"""


def hears_others(page: Page) -> None:
    """Audio from the other participants keeps arriving."""
    before = page.evaluate(AUDIO_PACKETS)
    assert before > 0
    wait_until(lambda: page.evaluate(AUDIO_PACKETS) > before, timeout=10, every=0.2)


def open_room_as_advisor(page: Page, title: str) -> None:
    sign_in(page, "anna.berger@alpina.example")
    expect(page).to_have_url(re.compile(r"/advisor$"))
    page.locator("#meeting-title").fill(title)
    page.locator("#meeting-start").click()
    expect(page).to_have_url(re.compile(r"/meeting/[\w-]+$"))
    page.locator("#meeting-join").click()
    expect(page.locator("#meeting-connection")).to_have_text("Verbunden", timeout=30_000)


def invite(advisor: Page, name: str) -> str:
    tab = advisor.get_by_role("tab", name="Einladen")
    if not tab.is_visible():  # on a phone the panel starts closed
        advisor.locator("#meeting-people").click()
    tab.click()
    advisor.locator("#meeting-invite-name").fill(name)
    advisor.locator("#meeting-invite").click()
    link = advisor.locator("#meeting-invite-link")
    expect(link).to_have_value(re.compile(r"/meeting/[\w-]+\?k="))
    return link.input_value()


def join_as_guest(page: Page, link: str, name: str) -> None:
    page.goto(link)
    page.wait_for_function(
        "document.getElementById('meeting-preview')?.videoWidth > 0", timeout=20_000
    )
    expect(page.locator("#meeting-camera-select option")).not_to_have_count(0)
    page.locator("#meeting-name").fill(name)
    screenshots(page, "meeting-join")
    page.locator("#meeting-join").click()
    expect(page.get_by_text("Bitte stimmen Sie dem Datenschutzhinweis zu")).to_be_visible()
    page.locator("#meeting-consent").click()
    page.locator("#meeting-join").click()
    expect(page.locator("#meeting-connection")).to_have_text("Verbunden", timeout=30_000)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#aa3322").save(buffer, format="PNG")
    return buffer.getvalue()


def test_advisor_and_customer_meet_share_chat_and_the_advisor_moderates(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    with (
        person(browser, stack.app_url) as advisor,
        person(browser, stack.app_url, viewport=PHONE) as customer,
        csp_watch(advisor) as advisor_violations,
        csp_watch(customer) as customer_violations,
    ):
        open_room_as_advisor(advisor, "Schadenbesichtigung Wasserschaden")
        link = invite(advisor, "Eva Kunde")
        join_as_guest(customer, link.replace(stack.app_url, ""), "Eva Kunde")

        # They see each other; the advisor's list shows Eva connected.
        sees_video_of(customer, 1)
        sees_video_of(advisor, 1)
        hears_others(customer)
        hears_others(advisor)
        # Chromium sends and receives H.264, so the room uses it (media_nodes/codecs.py).
        assert customer.evaluate(RECEIVED_VIDEO_CODECS) == ["video/H264"]
        # The advisor's (fake) microphone beeps: their tile is marked as the one speaking.
        expect(customer.locator("#meeting-grid figure.meeting-tile.speaking")).to_have_count(1)
        expect(advisor.locator("#meeting-quality")).to_have_attribute(
            "data-level", re.compile("good|fair|poor"), timeout=10_000
        )
        advisor.get_by_role("tab", name="Personen").click()
        eva_row = advisor.locator(".participant-row", has_text="Eva Kunde")
        expect(eva_row).to_be_visible()
        screenshots(customer, "meeting-room-customer")
        screenshots(advisor, "meeting-room-advisor")

        # Screen share: only the presenter (the advisor at first) has the button.
        expect(customer.locator("#meeting-share")).to_have_count(0)
        advisor.locator("#meeting-share").click()
        sees_video_of(customer, 1, "#meeting-grid video.remote-screen-video")
        screenshots(customer, "meeting-screen-share-customer")

        # The advisor hands the presenter role to Eva: his share ends, she may share.
        eva_row.locator(".make-presenter").click()
        expect(customer.locator("#meeting-grid video.remote-screen-video")).to_have_count(0)
        customer.locator("#meeting-share").click()
        sees_video_of(advisor, 1, "#meeting-grid video.remote-screen-video")
        expect(advisor.locator("#meeting-share")).to_have_count(0)

        # Chat with a file: Eva writes and shares a photo; the advisor downloads it. On her
        # phone the chat opens as a sheet over the stage.
        customer.locator("#meeting-chat-toggle").click()
        customer.locator("#meeting-chat-input").fill("Hier das Foto vom Schaden")
        customer.locator("#meeting-chat-input").press("Enter")
        photo = tmp_path / "schaden.png"
        photo.write_bytes(png_bytes())
        customer.locator("#meeting-chat-upload input[type=file]").set_input_files(str(photo))
        customer.locator("#meeting-chat-share").click()
        advisor.get_by_role("tab", name="Chat").click()
        expect(advisor.locator(".chat-line", has_text="Hier das Foto vom Schaden")).to_be_visible()
        with advisor.expect_download() as download:
            advisor.locator(".chat-file", has_text="schaden.png").click()
        assert Path(download.value.path()).read_bytes() == photo.read_bytes()

        # A disguised file is refused with a message, and the chat goes on.
        fake = tmp_path / "vertrag.pdf"
        fake.write_bytes(b"MZ\x90\x00" + bytes(300))
        customer.locator("#meeting-chat-upload input[type=file]").set_input_files(str(fake))
        customer.locator("#meeting-chat-share").click()
        expect(customer.get_by_text("Diese Datei kann nicht geteilt werden")).to_be_visible()

        # A snapshot of Eva's camera (claims inspection): she is told, both find it in the chat.
        advisor.get_by_role("tab", name="Personen").click()
        eva_row.locator(".snapshot-participant").click()
        expect(customer.get_by_text("hat ein Foto Ihrer Kamera aufgenommen").first).to_be_visible()
        advisor.get_by_role("tab", name="Chat").click()
        expect(advisor.locator(".chat-line", has_text="📷 Eva Kunde")).to_be_visible()

        # Moderation: mute Eva's microphone, then remove her; her link stops working.
        advisor.get_by_role("tab", name="Personen").click()
        eva_row.locator(".mute-participant").click()
        expect(customer.locator("#meeting-mic")).to_have_attribute(
            "aria-label", "Mikrofon einschalten"
        )
        eva_row.locator(".remove-participant").click()
        advisor.locator(".confirm-remove").click()  # removing asks first
        expect(customer.locator("#meeting-closed")).to_have_text(re.compile("entfernt"))
        expect(advisor.locator(".participant-row", has_text="Eva Kunde")).to_have_count(0)
        advisor.wait_for_function(
            "document.querySelectorAll('#meeting-grid video.remote-video').length === 0"
        )
        customer.goto(link.replace(stack.app_url, ""))
        expect(customer.locator("#meeting-closed")).to_have_text(re.compile("entfernt"))

        # The advisor leaves and rates the meeting.
        advisor.locator("#meeting-leave").click()
        advisor.get_by_role("radio", name="5 von 5 Sternen").click()
        advisor.locator("#feedback-comment").fill("Gute Verbindung")
        advisor.locator("#feedback-send").click()
        expect(advisor.locator("#feedback-thanks")).to_be_visible()
        screenshots(advisor, "meeting-feedback")
        # The pages' CSP let everything above through (media node websocket, uploads...).
        assert not advisor_violations + customer_violations, (
            advisor_violations + customer_violations
        )


def turn_lobby_on(browser: Browser, app_url: str) -> None:
    """The demo tenant's admin makes guests wait in a lobby until the host lets them in."""
    with person(browser, app_url) as admin:
        sign_in(admin, "admin@alpina.example")
        expect(admin).to_have_url(re.compile(r"/admin/users$"))
        admin.goto("/t/demo/admin/branding")
        admin.locator("#meeting-lobby").click()
        admin.locator("#meeting-settings-save").click()
        expect(admin.get_by_text("Die Besprechungseinstellungen sind gespeichert.")).to_be_visible()


def test_with_the_lobby_on_a_guest_waits_until_the_advisor_lets_them_in(
    browser: Browser, stack: Stack
) -> None:
    turn_lobby_on(browser, stack.app_url)
    with (
        person(browser, stack.app_url) as advisor,
        person(browser, stack.app_url, viewport=PHONE) as guest,
    ):
        open_room_as_advisor(advisor, "Beratung mit Warteraum")
        link = invite(advisor, "Paul Gast")
        guest.goto(link.replace(stack.app_url, ""))
        guest.locator("#meeting-name").fill("Paul Gast")
        guest.locator("#meeting-consent").click()
        guest.locator("#meeting-join").click()
        expect(guest.locator("#meeting-lobby")).to_be_visible()
        screenshots(guest, "meeting-lobby")
        advisor.get_by_role("tab", name="Personen").click()
        advisor.locator(".waiting-row", has_text="Paul Gast").locator(".admit-guest").click()
        expect(guest.locator("#meeting-connection")).to_have_text("Verbunden", timeout=30_000)
        sees_video_of(guest, 1)
        sees_video_of(advisor, 1)
