"""Tests that send WebRTC media refuse to run outside a loopback-only network namespace."""

from __future__ import annotations

import socket


def require_private_network(how_to_run: str) -> None:
    """Raise unless the only network interface is loopback (tools/private-net.sh)."""
    names = [name for _, name in socket.if_nameindex()]
    if names != ["lo"]:
        raise RuntimeError(
            f"these tests need a network namespace with only loopback (found {names}); "
            f"run them with: {how_to_run}"
        )
