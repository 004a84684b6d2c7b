"""The room's chat in real Chromium: the tenant's file limit is said before choosing, a file
over it is refused in the participant's language with nothing stored, a large file shows
its upload's progress (and can be stopped), the unread count only counts while the chat is
hidden, new messages are read out, and the feedback stars work by keyboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, func
from sqlmodel import Session, select

from app.models import ChatMessage, Meeting, MeetingFeedback, MeetingFile, MeetingParticipant
from e2e.conftest import ARTIFACTS, PHONE
from e2e.meeting.conftest import Stack, meeting_stack, person
from e2e.meeting.test_meeting_room import invite, join_as_guest, open_room_as_advisor

pytestmark = pytest.mark.timeout(600)

LAPTOP = {"width": 1366, "height": 768}
MB = 1024 * 1024


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with meeting_stack(nodes=1) as running:
        yield running


def stored(stack: Stack, model: type, room: str) -> int:
    """How many rows of ``model`` the app stored for the meeting in ``room``."""
    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as db:
            meeting = db.exec(select(Meeting).where(Meeting.room == room)).one()
            column = model.meeting_id  # type: ignore[attr-defined]
            return db.exec(
                select(func.count()).select_from(model).where(column == meeting.id)
            ).one()
    finally:
        engine.dispose()


def room_of(page: Page) -> str:
    match = re.search(r"/meeting/([\w-]+)", page.url)
    assert match
    return match.group(1)


def shots(page: Page, name: str) -> None:
    """The page at phone and laptop size (artifacts/screenshots/<name>-phone|laptop.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header would sit mid-page
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


WATCH_PROGRESS = """() => {
  window.progressSeen = [];
  new MutationObserver(() => {
    const shown = document.getElementById("meeting-chat-progress-text");
    const seen = window.progressSeen;
    if (shown && shown.textContent !== seen[seen.length - 1]) seen.push(shown.textContent);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def text_file(path: Path, size: int) -> Path:
    path.write_bytes(b"Schadenprotokoll\n" + b"a" * (size - 17))
    return path


def choose(page: Page, file: Path) -> None:
    page.locator("#meeting-chat-upload input[type=file]").set_input_files(str(file))


def slow_upload(page: Page, bytes_per_second: int) -> None:
    """Make this browser send slowly, as over a poor connection (the progress bar shows)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )


def test_chat_says_the_file_limit_refuses_a_larger_file_in_german_and_shows_progress(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    with person(browser, stack.app_url, viewport=LAPTOP) as advisor:
        open_room_as_advisor(advisor, "Unterlagen zur Hausratversicherung")
        room = room_of(advisor)
        advisor.get_by_role("tab", name="Chat").click()
        # The tenant's limit is said before anyone chooses a file.
        limits = advisor.locator("#meeting-chat-limits")
        expect(limits).to_have_text("Dateien bis 10 MB: PDF, PNG, JPEG, TXT")
        expect(advisor.get_by_role("button", name="Datei wählen")).to_have_attribute(
            "aria-describedby", "meeting-chat-limits"
        )
        shots(advisor, "meeting-chat")

        # A file over the limit: our message in German, not the framework's English toast.
        choose(advisor, text_file(tmp_path / "protokoll.txt", 11 * MB))
        expect(advisor.locator("#meeting-chat-refusal")).to_have_text(
            "Die Datei ist zu groß (höchstens 10 MB)."
        )
        expect(advisor.get_by_text("Files not Accepted")).to_have_count(0)
        expect(advisor.get_by_text(re.compile(r"larger than \d+ bytes"))).to_have_count(0)
        expect(advisor.locator("#meeting-chat-share")).to_have_count(0)
        shots(advisor, "meeting-chat-too-large")
        assert stored(stack, MeetingFile, room) == 0

        # A large allowed file over a slow line: the bar climbs, then the file is shared.
        slow_upload(advisor, 3 * MB)
        choose(advisor, text_file(tmp_path / "gutachten.txt", 9 * MB))
        expect(advisor.locator("#meeting-chat-refusal")).to_have_count(0)
        advisor.evaluate(WATCH_PROGRESS)
        advisor.locator("#meeting-chat-share").click()
        progress = advisor.get_by_role("progressbar", name="Datei wird hochgeladen")
        expect(progress).to_be_visible()
        expect(advisor.locator("#meeting-chat-progress-text")).to_have_text(
            re.compile(r"^([1-9]\d?|100) %$")
        )
        shots(advisor, "meeting-chat-progress")
        expect(advisor.locator(".chat-file", has_text="gutachten.txt")).to_be_visible(
            timeout=30_000
        )
        expect(progress).to_have_count(0)
        seen = [int(text.split()[0]) for text in advisor.evaluate("window.progressSeen")]
        assert len(set(seen)) >= 3 and seen == sorted(seen) and seen[-1] >= 90, seen
        assert stored(stack, MeetingFile, room) == 1

        # Stopping an upload half-way: the bar goes, nothing more is stored, the file stays
        # chosen to try again.
        slow_upload(advisor, 1 * MB)
        choose(advisor, text_file(tmp_path / "nachtrag.txt", 8 * MB))
        advisor.locator("#meeting-chat-share").click()
        expect(progress).to_be_visible()
        advisor.get_by_role("button", name="Hochladen abbrechen").click()
        expect(progress).to_have_count(0)
        expect(advisor.locator("#meeting-chat-share")).to_contain_text("nachtrag.txt")
        advisor.wait_for_timeout(2_000)
        assert stored(stack, MeetingFile, room) == 1
        expect(advisor.locator(".chat-file", has_text="nachtrag.txt")).to_have_count(0)


# The tab's shown label (Radix also renders a hidden copy of it to reserve its bold width).
BADGE = "#meeting-chat-tab .rt-BaseTabListTriggerInner .rt-Badge"


def unread(page: Page) -> str:
    """The unread count next to the chat tab ("" when there is none)."""
    badge = page.locator(BADGE)
    return badge.inner_text() if badge.count() else ""


def test_unread_counts_only_while_the_chat_is_hidden_and_new_messages_are_read_out(
    browser: Browser, stack: Stack
) -> None:
    with (
        person(browser, stack.app_url, viewport=LAPTOP) as advisor,
        person(browser, stack.app_url, viewport=PHONE) as customer,
    ):
        open_room_as_advisor(advisor, "Beratung Altersvorsorge")
        room = room_of(advisor)
        link = invite(advisor, "Eva Kunde")
        join_as_guest(customer, link.replace(stack.app_url, ""), "Eva Kunde")
        customer.locator("#meeting-chat-toggle").click()  # on her phone: a sheet over the stage

        def eva_says(text: str) -> None:
            customer.locator("#meeting-chat-input").fill(text)
            customer.locator("#meeting-chat-input").press("Enter")
            expect(customer.locator(".chat-line", has_text=text)).to_be_visible()

        # The advisor's chat is hidden (another tab): Eva's messages count and are read out.
        advisor.get_by_role("tab", name="Personen").click()
        eva_says("Guten Tag, ich bin da.")
        announcer = advisor.locator("#meeting-chat-announcer")
        expect(announcer).to_have_text("Neue Nachricht von Eva Kunde: Guten Tag, ich bin da.")
        expect(announcer).to_have_attribute("aria-live", "polite")
        expect(advisor.locator(BADGE)).to_have_text("1")
        eva_says("Haben Sie meine Unterlagen?")
        expect(advisor.locator(BADGE)).to_have_text("2")

        # Opening the chat resets the count; while it stays open, nothing counts.
        advisor.get_by_role("tab", name="Chat").click()
        expect(advisor.locator(BADGE)).to_have_count(0)
        eva_says("Ich warte auf Ihre Antwort.")
        expect(
            advisor.locator(".chat-line", has_text="Ich warte auf Ihre Antwort.")
        ).to_be_visible()
        expect(announcer).to_have_text("Neue Nachricht von Eva Kunde: Ich warte auf Ihre Antwort.")
        advisor.wait_for_timeout(1_000)  # a late count would show by now
        assert unread(advisor) == ""
        # The writer's own messages never count for herself.
        assert unread(customer) == ""
        shots(customer, "meeting-chat-customer")

        # Hidden again: counting starts from zero.
        advisor.get_by_role("tab", name="Einladen").click()
        eva_says("Bis gleich.")
        expect(advisor.locator(BADGE)).to_have_text("1")
        assert stored(stack, ChatMessage, room) == 4

        # After leaving, the advisor rates by keyboard only: Tab to the stars, arrows, Enter.
        advisor.locator("#meeting-leave").click()
        stars = advisor.get_by_role("radiogroup", name="Ihre Bewertung (1 bis 5 Sterne)")
        expect(stars.get_by_role("radio")).to_have_count(5)
        advisor.locator("#meeting-rejoin").focus()
        advisor.keyboard.press("Tab")
        expect(stars.get_by_role("radio", name="1 von 5 Sternen")).to_be_focused()
        for key, n in [
            ("ArrowRight", 2),
            ("ArrowRight", 3),
            ("ArrowRight", 4),
            ("ArrowRight", 5),
            ("ArrowLeft", 4),
        ]:  # right to five stars, then one back
            # A person holds a key for a moment; Radix chooses the star focus moved to only
            # while the arrow key is still down.
            advisor.keyboard.press(key, delay=80)
            star = stars.get_by_role("radio", name=f"{n} von 5 Sternen")
            expect(star).to_be_focused()
            expect(star).to_have_attribute("aria-checked", "true")
        expect(advisor.locator("#feedback-stars-chosen")).to_have_text("4 von 5 Sternen")
        shots(advisor, "meeting-feedback-stars")
        advisor.keyboard.press("Tab")
        expect(advisor.locator("#feedback-comment")).to_be_focused()
        advisor.keyboard.type("Sehr hilfreich")
        advisor.keyboard.press("Tab")
        expect(advisor.locator("#feedback-send")).to_be_focused()
        advisor.keyboard.press("Enter")
        expect(advisor.locator("#feedback-thanks")).to_be_visible()

    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as db:
            meeting = db.exec(select(Meeting).where(Meeting.room == room)).one()
            rating = db.exec(
                select(MeetingFeedback).where(MeetingFeedback.meeting_id == meeting.id)
            ).one()
            rater = db.get(MeetingParticipant, rating.participant_id)
            assert rater is not None
            assert (rating.stars, rating.comment, rater.role) == (4, "Sehr hilfreich", "moderator")
    finally:
        engine.dispose()
