"""How many signaling sockets one client address may hold open on this node at once.

Counted from the TCP peer address: a node is reached directly by browsers (see
docs/architecture.md). The cap leaves room for an office behind one NAT address while a
script opening hundreds of sockets is refused at the handshake (HTTP 429).
"""

from __future__ import annotations

import collections


class Admission:
    """Open sockets per client address, capped.

    Args:
        per_address: the most sockets one address may hold open.
    """

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self._open: collections.Counter[str] = collections.Counter()

    def admit(self, address: str) -> bool:
        """Count one more socket from ``address``; False (and not counted) when at the cap."""
        if self._open[address] >= self.per_address:
            return False
        self._open[address] += 1
        return True

    def release(self, address: str) -> None:
        """A socket from ``address`` closed."""
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    @property
    def open_sockets(self) -> int:
        """Sockets open on this node (for /health)."""
        return sum(self._open.values())
