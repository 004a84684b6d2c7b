"""A media node gives a signaling socket little for free: it must join in time, one address
holds only so many sockets, and a socket flooding messages is closed; a normal call is not
bothered by any of it."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Iterator

import aiohttp
import pytest

from media_nodes.socket_limits import JOIN_DEADLINE_PASSED, TOO_MANY_MESSAGES
from tests.media.conftest import media_node
from tests.media.peers import Peer, next_frame, token_for

pytestmark = pytest.mark.timeout(90)
LIMITS = {
    "CONSILIO_MEDIA_JOIN_DEADLINE_SECONDS": "1.5",
    "CONSILIO_MEDIA_SOCKETS_PER_ADDRESS": "40",
    "CONSILIO_MEDIA_SOCKET_MESSAGES_PER_SECOND": "10",
    "CONSILIO_MEDIA_SOCKET_MESSAGE_BURST": "30",
}


@pytest.fixture
def node() -> Iterator[str]:
    with media_node("limited", **LIMITS) as (base, _proc):
        yield base


def health(node: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{node}/health", timeout=5) as response:  # noqa: S310
        return dict(json.load(response))


async def _socket(http: aiohttp.ClientSession, node: str) -> aiohttp.ClientWebSocketResponse:
    return await http.ws_connect(node.replace("http", "ws") + "/ws")


async def _closed(ws: aiohttp.ClientWebSocketResponse, timeout: float) -> int | None:
    """Read until the node closes ``ws``; its close code."""
    async with asyncio.timeout(timeout):
        async for _message in ws:
            pass
    return ws.close_code


async def test_sockets_that_never_join_are_closed_after_the_deadline(
    node: str, http: aiohttp.ClientSession
) -> None:
    sockets = [await _socket(http, node) for _ in range(30)]
    assert health(node)["sockets"] == 30
    opened = time.monotonic()
    codes = await asyncio.gather(*(_closed(ws, 10) for ws in sockets))
    assert codes == [JOIN_DEADLINE_PASSED] * 30
    assert 1.0 < time.monotonic() - opened < 5
    assert health(node)["sockets"] == 0


async def test_messages_before_a_join_are_refused(node: str, http: aiohttp.ClientSession) -> None:
    stranger = Peer(node, http)
    await stranger.connect()
    for message in (
        {"type": "publish", "sdp": "v=0\r\nm=video 9 x\r\n"},
        {"type": "subscribe", "publisher": "advisor", "sdp": "v=0\r\nm=video 9 x\r\n"},
        {"type": "mute", "participant": "advisor", "kind": "audio"},
        {"type": "candidate", "target": "publish", "candidate": {"candidate": ""}},
        {"type": "leave"},
    ):
        await stranger.send(message)
        assert (await stranger.expect("error"))["code"] == "not_joined", message
    await stranger.close()


async def test_one_address_may_hold_only_so_many_sockets() -> None:
    with media_node("capped", CONSILIO_MEDIA_SOCKETS_PER_ADDRESS="3") as (node, _proc):
        async with aiohttp.ClientSession() as http:
            sockets = [await _socket(http, node) for _ in range(3)]
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await _socket(http, node)
            assert refused.value.status == 429
            await sockets.pop().close()
            for _ in range(50):  # the node notices the close a moment later
                if health(node)["sockets"] == 2:
                    break
                await asyncio.sleep(0.05)
            sockets.append(await _socket(http, node))  # a place came free
            for ws in sockets:
                await ws.close()


async def test_a_socket_flooding_messages_is_closed_and_the_room_goes_on(
    node: str, http: aiohttp.ClientSession
) -> None:
    advisor, customer, flooder = Peer(node, http), Peer(node, http), Peer(node, http)
    await advisor.join(token_for("f1", "advisor", "moderator"))
    await advisor.publish()
    await customer.join(token_for("f1", "customer"))
    tracks = await customer.subscribe("advisor")
    await next_frame(tracks["video"], 10)
    await flooder.join(token_for("f1", "flooder"))
    assert flooder.ws is not None
    for _ in range(200):
        await flooder.ws.send_str(json.dumps({"type": "teleport"}))
    await flooder.expect("closed", timeout=5)
    assert flooder.ws.close_code == TOO_MANY_MESSAGES
    assert (await advisor.expect("participant-left"))["participant"] == "flooder"
    await next_frame(tracks["video"], 2)
    for peer in (advisor, customer, flooder):
        await peer.close()


async def test_a_normal_call_outlives_the_join_deadline(
    node: str, http: aiohttp.ClientSession
) -> None:
    advisor, customer = Peer(node, http), Peer(node, http)
    await advisor.join(token_for("n1", "advisor", "moderator"))
    await advisor.publish()
    await customer.join(token_for("n1", "customer"))
    await customer.publish()
    seen_by_customer = await customer.subscribe("advisor")
    seen_by_advisor = await advisor.subscribe("customer")
    await asyncio.sleep(2)  # past the join deadline
    await next_frame(seen_by_customer["video"], 5)
    await next_frame(seen_by_advisor["video"], 5)
    await advisor.send({"type": "mute", "participant": "customer", "kind": "audio"})
    assert (await customer.expect("muted"))["publication"]["participant"] == "customer"
    summary = health(node)
    assert (summary["participants"], summary["sockets"]) == (2, 2)
    for peer in (advisor, customer):
        await peer.close()
