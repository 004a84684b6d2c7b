"""The test center's network check on a real media node: a probe gets its own video back,
stays invisible to the app's presence, and is sent away after its time."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.media.conftest import media_node, presence_reports
from tests.media.peers import HEIGHT, WIDTH, Peer, next_frame, token_for
from tests.polling import eventually

pytestmark = pytest.mark.timeout(90)


async def test_probe_gets_its_own_video_back_unreported_and_ends_by_itself(
    http: aiohttp.ClientSession,
) -> None:
    async with presence_reports() as (events_url, reports):
        settings = {"CONSILIO_MEDIA_EVENTS_URL": events_url, "CONSILIO_MEDIA_PROBE_SECONDS": "4"}
        with media_node("probing", **settings) as (base, _proc):
            probe = Peer(base, http)
            joined = await probe.join(token_for("probe-r1", "probe-p1", "probe"))
            await probe.publish()
            echo = await probe.subscribe(joined["participant"])
            frame = await next_frame(echo["video"], timeout=10)
            assert (frame.width, frame.height) == (WIDTH, HEIGHT)

            await probe.expect("closed", timeout=8)  # the node ends the probe
            assert reports.empty()
            await probe.close()

            # A meeting participant on the same node is still reported (the receiver works).
            peer = Peer(base, http)
            await peer.join(token_for("m1", "eva"))
            assert await asyncio.wait_for(reports.get(), 10) == ("m1", "eva", True)
            await peer.close()


async def test_a_node_runs_only_so_many_network_checks_at_once(
    http: aiohttp.ClientSession,
) -> None:
    with media_node("probing", CONSILIO_MEDIA_PROBES_PER_NODE="1") as (base, _proc):
        first, second = Peer(base, http), Peer(base, http)
        await first.join(token_for("probe-r1", "probe-p1", "probe"))
        await second.connect()
        await second.send({"type": "join", "token": token_for("probe-r2", "probe-p2", "probe")})
        refusal = await second.expect("error")
        assert refusal["code"] == "busy"
        await first.close()

        async def first_room_gone() -> bool:
            async with http.get(f"{base}/health") as response:
                return (await response.json())["rooms"] == 0

        await eventually(first_room_gone)
        third = Peer(base, http)  # room for the next check
        assert (await third.join(token_for("probe-r3", "probe-p3", "probe")))["room"] == "probe-r3"
        await third.close()
        await second.close()
