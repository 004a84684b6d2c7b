"""Which local addresses a media node offers as ICE host candidates.

aioice offers every interface but loopback. A node is told its addresses instead
(CONSILIO_MEDIA_ICE_ADDRESSES): production nodes their public interface, tests 127.0.0.1
inside a private network namespace (so media never touches a real interface).
"""

from __future__ import annotations

import aioice.ice


def restrict_host_addresses(addresses: list[str]) -> None:
    """Gather ICE host candidates only on ``addresses`` in this process (empty: aioice's own
    choice)."""
    if not addresses:
        return
    chosen = list(addresses)

    def host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return [a for a in chosen if (":" in a and use_ipv6) or (":" not in a and use_ipv4)]

    aioice.ice.get_host_addresses = host_addresses
