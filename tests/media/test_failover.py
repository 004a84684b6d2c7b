"""Two media nodes on one Redis: a killed node's room comes back on the other within 10 s;
a node told to stop (SIGTERM) finishes its rooms and takes no new ones."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import time
from collections.abc import Iterator

import aiohttp
import pytest
import redis

from app.services.media_registry import RedisRegistry
from tests.media.conftest import media_node
from tests.media.peers import Peer, next_frame, token_for
from tests.polling import eventually
from tests.servers import redis_server

pytestmark = pytest.mark.timeout(120)
TTL = "2"


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
def registry(redis_url: str) -> RedisRegistry:
    return RedisRegistry(redis.Redis.from_url(redis_url), ttl_seconds=float(TTL))


def _settings(redis_url: str) -> dict[str, str]:
    return {
        "CONSILIO_REDIS_URL": redis_url,
        "CONSILIO_MEDIA_NODE_TTL_SECONDS": TTL,
        "CONSILIO_MEDIA_HEARTBEAT_SECONDS": "0.5",
    }


@contextlib.contextmanager
def two_nodes(
    redis_url: str, registry: RedisRegistry
) -> Iterator[tuple[str, subprocess.Popen[bytes], str]]:
    """Nodes "a" and "b" on one Redis, both reporting: (a's URL, a's process, b's URL)."""
    with (
        media_node("a", **_settings(redis_url)) as (a, proc_a),
        media_node("b", **_settings(redis_url)) as (b, _),
    ):
        for _ in range(50):
            if len(registry.live_nodes()) == 2:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"expected 2 live nodes, got {registry.live_nodes()}")
        yield a, proc_a, b


async def _call(
    registry: RedisRegistry, room: str, http: aiohttp.ClientSession
) -> tuple[Peer, Peer]:
    """What the browsers do when they (re)enter the room: ask where, join, publish, subscribe."""
    where = (await asyncio.to_thread(registry.node_for_room, room)).url
    advisor, customer = Peer(where, http), Peer(where, http)
    await advisor.join(token_for(room, "advisor", "moderator"))
    await advisor.publish()
    await customer.join(token_for(room, "customer"))
    tracks = await customer.subscribe("advisor")
    await next_frame(tracks["video"], 10)
    customer.tracks = tracks  # type: ignore[attr-defined]
    return advisor, customer


async def test_killed_nodes_room_comes_back_on_the_other_node_within_ten_seconds(
    redis_url: str, registry: RedisRegistry, http: aiohttp.ClientSession
) -> None:
    with two_nodes(redis_url, registry) as (a, proc_a, b):
        advisor, customer = await _call(registry, "meeting-1", http)
        first_node = advisor.node
        assert first_node == a  # equal load: the first node by name
        killed_at = time.monotonic()
        proc_a.send_signal(signal.SIGKILL)
        assert (await customer.expect("closed", timeout=5))["type"] == "closed"
        await advisor.close()
        await customer.close()

        while (await asyncio.to_thread(registry.node_for_room, "meeting-1")).url == first_node:
            assert time.monotonic() - killed_at < 10, "the room did not move"
            await asyncio.sleep(0.2)
        advisor, customer = await _call(registry, "meeting-1", http)
        assert advisor.node == b
        assert time.monotonic() - killed_at < 10
        await advisor.close()
        await customer.close()


async def test_draining_node_finishes_its_room_and_sends_new_rooms_elsewhere(
    redis_url: str, registry: RedisRegistry, http: aiohttp.ClientSession
) -> None:
    with two_nodes(redis_url, registry) as (a, proc_a, b):
        advisor, customer = await _call(registry, "meeting-2", http)
        assert advisor.node == a
        proc_a.send_signal(signal.SIGTERM)

        async def a_reports_draining() -> bool:  # asking for a room would place it already
            nodes = await asyncio.to_thread(registry.live_nodes)
            return any(n.url == a and n.draining for n in nodes)

        await eventually(a_reports_draining, timeout=10)
        await next_frame(customer.tracks["video"], 2)  # type: ignore[attr-defined]
        assert (await asyncio.to_thread(registry.node_for_room, "meeting-3")).url == b
        assert (await asyncio.to_thread(registry.node_for_room, "meeting-2")).url == a

        await advisor.close()
        await customer.close()
        await asyncio.to_thread(proc_a.wait, 10)  # the room is empty: a stops by itself
        assert proc_a.returncode is not None
