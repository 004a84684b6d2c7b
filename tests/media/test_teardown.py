"""Many participants leaving at once: everyone left is told, the app hears each one go
offline, and the emptied room is forgotten (the node served a benchmark's worth of these)."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import aiohttp
import pytest

from tests.media.conftest import media_node, presence_reports
from tests.media.peers import Peer, token_for
from tests.polling import eventually

pytestmark = pytest.mark.timeout(120)
LEAVERS = 8


def health(node: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{node}/health", timeout=5) as response:  # noqa: S310
        return dict(json.load(response))


async def _publishers_watched_by(
    observer: Peer, node: str, http: aiohttp.ClientSession, room: str
) -> list[Peer]:
    """LEAVERS participants who publish, each received by ``observer`` (so that every
    departure ends a subscription on the node while others are leaving too)."""
    peers = [Peer(node, http) for _ in range(LEAVERS)]
    for index, peer in enumerate(peers):
        await peer.join(token_for(room, f"p{index}"))
        await peer.publish()
    for index in range(LEAVERS):
        await observer.subscribe(f"p{index}")
    return peers


async def _leave_at_once(peers: list[Peer]) -> None:
    await asyncio.gather(*(peer.send({"type": "leave"}) for peer in peers))
    await asyncio.gather(*(peer.expect("closed") for peer in peers))


async def _offline_reports(
    reports: asyncio.Queue[tuple[str, str, bool]], room: str, count: int = LEAVERS
) -> set[str]:
    gone: set[str] = set()
    while len(gone) < count:
        report_room, participant, online = await asyncio.wait_for(reports.get(), 10)
        if report_room == room and not online:
            gone.add(participant)
    return gone


async def test_many_participants_leaving_at_once_are_announced_reported_and_cleaned_up(
    http: aiohttp.ClientSession,
) -> None:
    async with presence_reports() as (events_url, reports):
        with media_node("teardown", CONSILIO_MEDIA_EVENTS_URL=events_url) as (node, _proc):
            observer = Peer(node, http)
            await observer.join(token_for("crowd", "observer"))
            leavers = await _publishers_watched_by(observer, node, http, "crowd")
            await _leave_at_once(leavers)

            left = {(await observer.expect("participant-left"))["participant"] for _ in leavers}
            assert left == {f"p{index}" for index in range(LEAVERS)}
            assert await _offline_reports(reports, "crowd") == left
            summary = health(node)
            assert (summary["rooms"], summary["participants"]) == (1, 1)

            # Now the last ones leave together: the room is forgotten.
            everyone = await _publishers_watched_by(observer, node, http, "crowd")
            await _leave_at_once([observer, *everyone])
            assert await _offline_reports(reports, "crowd", LEAVERS + 1) == {*left, "observer"}
            await eventually(lambda: health(node)["rooms"] == 0)
            assert health(node)["participants"] == 0
            for peer in [observer, *leavers, *everyone]:
                await peer.close()
