"""A media node dies mid-call (SIGKILL): both browsers get a new pass from the app, land on
the other node, and see each other again."""

from __future__ import annotations

import json
import re
import signal
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from e2e.conftest import PHONE
from e2e.meeting.conftest import Stack, meeting_stack, person
from e2e.meeting.test_meeting_room import invite, join_as_guest, open_room_as_advisor, sees_video_of

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with meeting_stack(nodes=2) as running:
        yield running


def participants_on(base: str) -> int:
    with urllib.request.urlopen(f"{base}/health", timeout=5) as response:  # noqa: S310
        return int(json.loads(response.read())["participants"])


def test_call_comes_back_on_another_node_after_its_node_is_killed(
    browser: Browser, stack: Stack
) -> None:
    with (
        person(browser, stack.app_url) as advisor,
        person(browser, stack.app_url, viewport=PHONE) as customer,
    ):
        open_room_as_advisor(advisor, "Beratung Altersvorsorge")
        join_as_guest(customer, invite(advisor, "Jonas Kunde").replace(stack.app_url, ""), "Jonas")
        sees_video_of(customer, 1)
        sees_video_of(advisor, 1)
        [serving] = [n for n, (base, _) in stack.nodes.items() if participants_on(base) == 2]
        _base, process = stack.nodes[serving]
        killed = time.monotonic()
        process.send_signal(signal.SIGKILL)
        expect(advisor.locator("#meeting-connection")).to_have_text(
            re.compile("Verbindung unterbrochen")
        )
        sees_video_of(customer, 1)
        sees_video_of(advisor, 1)
        back_after = time.monotonic() - killed
        [other] = [b for n, (b, _) in stack.nodes.items() if n != serving]
        assert participants_on(other) == 2
        expect(advisor.locator("#meeting-connection")).to_have_text("Verbunden")
        print(f"media back on the other node {back_after:.1f} s after SIGKILL")
