"""Rooms go to the least-loaded live media node, stay there, and move when it dies."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis

from app.services.media_registry import NodeInfo, NoMediaNode, RedisRegistry
from tests.servers import redis_server

TTL = 0.5


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture
def registry(redis_url: str) -> RedisRegistry:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return RedisRegistry(client, ttl_seconds=TTL)


def node(name: str, participants: int = 0, *, draining: bool = False) -> NodeInfo:
    return NodeInfo(name, f"http://{name}.example:8443", participants, draining=draining)


def test_room_goes_to_the_least_loaded_node_and_stays_there(registry: RedisRegistry) -> None:
    registry.report(node("a", participants=5))
    registry.report(node("b", participants=1))
    assert registry.node_for_room("r1").node_id == "b"
    registry.report(node("b", participants=50))  # b fills up; r1 stays, r2 goes to a
    assert registry.node_for_room("r1").node_id == "b"
    assert registry.node_for_room("r2").node_id == "a"


def test_room_of_a_silent_node_moves_to_a_live_one(registry: RedisRegistry) -> None:
    registry.report(node("a"))
    assert registry.node_for_room("r1").node_id == "a"
    registry.report(node("b", participants=9))
    time.sleep(TTL * 0.6)
    registry.report(node("b", participants=9))  # only b keeps reporting
    time.sleep(TTL * 0.6)
    assert [n.node_id for n in registry.live_nodes()] == ["b"]
    assert registry.node_for_room("r1").node_id == "b"


def test_draining_node_keeps_its_rooms_but_gets_no_new_ones(registry: RedisRegistry) -> None:
    registry.report(node("a"))
    assert registry.node_for_room("r1").node_id == "a"
    registry.report(node("a", draining=True))
    registry.report(node("b", participants=30))
    assert registry.node_for_room("r1").node_id == "a"
    assert registry.node_for_room("r2").node_id == "b"


def test_no_live_node_is_a_clear_error(registry: RedisRegistry) -> None:
    with pytest.raises(NoMediaNode):
        registry.node_for_room("r1")
    registry.report(node("a", draining=True))
    with pytest.raises(NoMediaNode):
        registry.node_for_room("r1")


def test_withdrawn_node_is_gone_at_once(registry: RedisRegistry) -> None:
    registry.report(node("a"))
    registry.withdraw("a")
    assert registry.live_nodes() == []


def test_signaling_url_follows_the_scheme() -> None:
    assert node("a").signaling_url == "ws://a.example:8443/ws"
    assert NodeInfo("b", "https://media.example").signaling_url == "wss://media.example/ws"


def test_a_network_check_goes_to_the_least_loaded_node_without_a_room(
    registry: RedisRegistry,
) -> None:
    registry.report(node("a", participants=5))
    registry.report(node("b", participants=1))
    registry.report(node("c", participants=0, draining=True))
    assert registry.least_loaded().node_id == "b"
    assert registry._redis.keys("consilio:media:room:*") == []
