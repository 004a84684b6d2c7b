"""A real DNS server on a loopback port that answers TXT questions from a dict (dnslib).

Custom-domain proofs are looked up through it (``CONSILIO_DNS_NAMESERVERS``), so the tests
exercise dnspython's real queries and answers without leaving the machine.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

from dnslib import QTYPE, RCODE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class TxtZone(BaseResolver):  # type: ignore[misc]
    """Names with their TXT strings; any other name does not exist."""

    def __init__(self) -> None:
        self.records: dict[str, list[str]] = {}

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        if name not in self.records:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.TXT:
            for text in self.records[name]:
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(text), ttl=0))
        return reply


@contextlib.contextmanager
def dns_server() -> Iterator[tuple[TxtZone, str]]:
    """Start a UDP DNS server on 127.0.0.1; yields its zone and its ``address:port``."""
    zone = TxtZone()
    server = DNSServer(
        zone, address="127.0.0.1", port=0, logger=DNSLogger(log="-", logf=lambda _m: None)
    )
    server.start_thread()
    try:
        yield zone, f"127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.stop()
        server.server.server_close()


@contextlib.contextmanager
def silent_dns_server() -> Iterator[str]:
    """A UDP port on 127.0.0.1 that takes questions and never answers; yields ``address:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"127.0.0.1:{sock.getsockname()[1]}"
