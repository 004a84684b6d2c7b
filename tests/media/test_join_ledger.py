"""A join token opens the door once, and a participant the moderator sent away stays out,
even after the room emptied and was forgotten, and (with Redis) on any other node."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Iterator

import aiohttp
import pytest

from app.services import media_signals
from tests.media.conftest import media_node
from tests.media.peers import Peer, token_for
from tests.servers import redis_server

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


def health(node: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{node}/health", timeout=5) as response:  # noqa: S310
        return dict(json.load(response))


async def remove(http: aiohttp.ClientSession, node: str, room: str, participant: str) -> None:
    token = media_signals.sign_command(room, "remove", participant=participant)
    async with http.post(f"{node}/control", data=token) as response:
        assert response.status == 200


async def refused(node: str, http: aiohttp.ClientSession, token: str) -> str:
    """The error code a join with ``token`` gets (the node then closes the socket)."""
    peer = Peer(node, http)
    await peer.connect()
    await peer.send({"type": "join", "token": token})
    code = str((await peer.expect("error"))["code"])
    await peer.expect("closed")
    await peer.close()
    return code


async def test_a_replayed_join_token_is_refused(node: str, http: aiohttp.ClientSession) -> None:
    token = token_for("o1", "customer")
    customer = Peer(node, http)
    await customer.join(token)
    assert await refused(node, http, token) == "token_used"  # while the first is inside
    await customer.close()
    assert await refused(node, http, token) == "token_used"  # and after it left
    again = Peer(node, http)
    await again.join(token_for("o1", "customer"))  # a fresh pass works, as on reconnect
    await again.close()


async def test_removed_participant_stays_out_after_the_room_emptied(
    node: str, http: aiohttp.ClientSession
) -> None:
    advisor, customer = Peer(node, http), Peer(node, http)
    await advisor.join(token_for("o2", "advisor", "moderator"))
    await customer.join(token_for("o2", "customer"))
    kept = token_for("o2", "customer")  # a pass fetched before the removal, still valid
    await remove(http, node, "o2", "customer")
    await customer.expect("removed")
    await advisor.close()
    for _ in range(50):
        if health(node)["rooms"] == 0:
            break
        await asyncio.sleep(0.1)
    assert health(node)["rooms"] == 0  # the room is gone, the removal is not
    assert await refused(node, http, kept) == "removed"


async def test_a_removal_for_a_room_not_open_on_the_node_is_kept(
    node: str, http: aiohttp.ClientSession
) -> None:
    kept = token_for("o3", "customer")
    await remove(http, node, "o3", "customer")
    assert await refused(node, http, kept) == "removed"
    assert health(node)["rooms"] == 0  # a refused join opens no room
    advisor = Peer(node, http)
    await advisor.join(token_for("o3", "advisor", "moderator"))  # others still come in
    await advisor.close()


async def test_with_redis_a_token_used_or_a_removal_on_one_node_counts_on_the_other(
    redis_url: str, http: aiohttp.ClientSession
) -> None:
    settings = {"CONSILIO_REDIS_URL": redis_url}
    with media_node("a", **settings) as (a, _), media_node("b", **settings) as (b, _):
        token = token_for("o4", "advisor", "moderator")
        advisor, customer = Peer(a, http), Peer(a, http)
        await advisor.join(token)
        await customer.join(token_for("o4", "customer"))
        kept = token_for("o4", "customer")
        await remove(http, a, "o4", "customer")
        await customer.expect("removed")
        # The room moves to b (say a died): a copied token is no good there either,
        assert await refused(b, http, token) == "token_used"
        # and the removed participant stays out.
        assert await refused(b, http, kept) == "removed"
        for peer in (advisor, customer):
            await peer.close()
