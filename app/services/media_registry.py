"""Which media node serves which room.

Each node reports itself (address, load, draining) every few seconds; a report expires after
CONSILIO_MEDIA_NODE_TTL_SECONDS. The app puts a room on the least-loaded live node that is not
draining and keeps it there; when that node stops reporting, the next assignment moves the
room to another node, and its browsers reconnect there. With Redis (production) all web
backends and nodes share the registry; without Redis (dev) the one configured node serves.
"""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any, Protocol

import redis

from app.settings import get_settings

NODE_KEY = "consilio:media:node:{}"
NODES_SET = "consilio:media:nodes"
ROOM_KEY = "consilio:media:room:{}"
ROOM_TTL_SECONDS = 24 * 3600

# Move a room only if it is still where the caller saw it (another web backend may have
# moved it already): compare-and-set in one step.
_MOVE_ROOM = """
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] or (current == false and ARGV[1] == '') then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return ARGV[2]
end
return current
"""


def _text(raw: Any) -> str:
    """A Redis reply as text ("" for none)."""
    if raw is None:
        return ""
    return raw.decode() if isinstance(raw, bytes) else str(raw)


class NoMediaNode(Exception):
    """No live media node can take the room."""


@dataclasses.dataclass(frozen=True)
class NodeInfo:
    """What a node reports about itself."""

    node_id: str
    url: str
    participants: int = 0
    rooms: int = 0
    draining: bool = False

    @property
    def signaling_url(self) -> str:
        """The websocket address browsers join on."""
        return self.url.replace("https://", "wss://").replace("http://", "ws://") + "/ws"


class Registry(Protocol):
    """What the app and the nodes need of a registry."""

    def report(self, node: NodeInfo) -> None: ...

    def withdraw(self, node_id: str) -> None: ...

    def live_nodes(self) -> list[NodeInfo]: ...

    def node_for_room(self, room: str) -> NodeInfo: ...

    def least_loaded(self) -> NodeInfo: ...


class RedisRegistry:
    """The shared registry of a production deployment."""

    def __init__(self, client: redis.Redis, ttl_seconds: float) -> None:
        self._redis = client
        self._ttl_ms = int(ttl_seconds * 1000)
        self._move = client.register_script(_MOVE_ROOM)

    def report(self, node: NodeInfo) -> None:
        """A node's heartbeat."""
        payload = json.dumps({**dataclasses.asdict(node), "at": time.time()})
        pipe = self._redis.pipeline()
        pipe.set(NODE_KEY.format(node.node_id), payload, px=self._ttl_ms)
        pipe.sadd(NODES_SET, node.node_id)
        pipe.execute()

    def withdraw(self, node_id: str) -> None:
        """A node leaves for good (after draining)."""
        self._redis.delete(NODE_KEY.format(node_id))
        self._redis.srem(NODES_SET, node_id)

    def _node(self, node_id: str) -> NodeInfo | None:
        raw = _text(self._redis.get(NODE_KEY.format(node_id)))
        if not raw:
            return None
        data = json.loads(raw)
        data.pop("at", None)
        return NodeInfo(**data)

    def live_nodes(self) -> list[NodeInfo]:
        """Nodes whose last report has not expired (stale names are cleaned up)."""
        nodes = []
        members: Any = self._redis.smembers(NODES_SET)
        for raw_id in members:
            node_id = _text(raw_id)
            node = self._node(node_id)
            if node is None:
                self._redis.srem(NODES_SET, node_id)
            else:
                nodes.append(node)
        return sorted(nodes, key=lambda n: n.node_id)

    def node_for_room(self, room: str) -> NodeInfo:
        """The room's node: where it is if that node lives, else the least-loaded live one."""
        key = ROOM_KEY.format(room)
        for _attempt in range(5):
            current = _text(self._redis.get(key))
            if current:
                node = self._node(current)
                if node is not None:
                    return node
            chosen = self.least_loaded()
            placed = self._move(keys=[key], args=[current, chosen.node_id, ROOM_TTL_SECONDS])
            if _text(placed) == chosen.node_id:
                return chosen
        raise NoMediaNode()

    def least_loaded(self) -> NodeInfo:
        """The live node with the fewest participants that takes new rooms (nothing is kept:
        for a room of one that lives seconds, such as a network test)."""
        candidates = [n for n in self.live_nodes() if not n.draining]
        if not candidates:
            raise NoMediaNode()
        return min(candidates, key=lambda n: (n.participants, n.rooms, n.node_id))


class SingleNodeRegistry:
    """Development without Redis: the one configured node serves every room."""

    def __init__(self, node: NodeInfo) -> None:
        self._node = node

    def report(self, node: NodeInfo) -> None:
        self._node = node

    def withdraw(self, node_id: str) -> None:
        return None

    def live_nodes(self) -> list[NodeInfo]:
        return [self._node]

    def node_for_room(self, room: str) -> NodeInfo:
        return self._node

    def least_loaded(self) -> NodeInfo:
        return self._node


def get_registry() -> Registry:
    """The registry these settings describe."""
    settings = get_settings()
    if settings.redis_url:
        return RedisRegistry(
            # A Redis that stops answering must not hold request threads (health probes).
            redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2),
            settings.media_node_ttl_seconds,
        )
    return SingleNodeRegistry(NodeInfo(node_id="local", url=settings.media_public_url))
