"""coturn with app-issued credentials: relays for valid ones, refuses expired or forged ones,
and the production configuration never relays to loopback, private or link-local peers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import time

import pytest
from aioice import stun
from aioice.turn import TurnClientUdpProtocol

from app.services import turn
from media_nodes.turn_config import render
from tests.servers import coturn

pytestmark = pytest.mark.timeout(60)


async def allocate(port: int, username: str, password: str) -> TurnClientUdpProtocol:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(
        lambda: TurnClientUdpProtocol(
            ("127.0.0.1", port),
            username=username,
            password=password,
            lifetime=60,
            channel_refresh_time=500,
        ),
        remote_addr=("127.0.0.1", port),
    )
    await protocol.connect()
    return protocol


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.transport.sendto(data, addr)  # type: ignore[attr-defined]


async def test_app_credentials_get_a_relay_that_carries_data() -> None:
    with coturn("test") as port:
        protocol = await allocate(port, *turn.credentials("advisor-1"))
        assert protocol.relayed_address[0] == "127.0.0.1"
        loop = asyncio.get_running_loop()
        echo_transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
        echo = echo_transport.get_extra_info("sockname")
        received: asyncio.Future[bytes] = loop.create_future()
        protocol.receiver = type(  # what arrives through the relay
            "Sink", (), {"datagram_received": lambda _s, data, _a: received.set_result(data)}
        )()
        await protocol.send_data(b"hello through the relay", echo)
        assert await asyncio.wait_for(received, 5) == b"hello through the relay"
        echo_transport.close()
        await protocol.delete()


def forged(participant: str) -> tuple[str, str]:
    username = f"{int(time.time()) + 3600}:{participant}"
    digest = hmac.new(b"not the secret", username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


@pytest.mark.parametrize(
    "make",
    [
        lambda: turn.credentials("customer-1", now=time.time() - 7200),
        lambda: forged("customer-1"),
        lambda: (turn.credentials("customer-1")[0], "wrong"),
    ],
    ids=["expired", "forged", "wrong-password"],
)
async def test_expired_or_forged_credentials_are_refused(make: object) -> None:
    with coturn("test") as port:
        with pytest.raises(stun.TransactionFailed) as refused:
            await allocate(port, *make())  # type: ignore[operator]
        assert refused.value.response.attributes["ERROR-CODE"][0] == 401


async def test_production_config_refuses_loopback_private_and_link_local_peers() -> None:
    with coturn("production") as port:
        protocol = await allocate(port, *turn.credentials("advisor-1"))
        for number, peer in enumerate(
            ["127.0.0.1", "::1", "::ffff:127.0.0.1", "10.0.0.1", "169.254.169.254"]
        ):
            with pytest.raises(stun.TransactionFailed):
                await protocol.channel_bind(0x4000 + number, (peer, 9))
        await protocol.delete()


def test_production_config_denies_ipv4_mapped_ipv6_as_a_whole() -> None:
    config = render("production")
    assert "denied-peer-ip=::ffff:0.0.0.0-::ffff:255.255.255.255" in config
    assert "allow-loopback-peers" not in config
    assert f"static-auth-secret={turn.shared_secret()}" in config


def test_production_config_relays_no_tcp_and_no_ipv4_tunnels() -> None:
    config = render("production")
    assert "no-tcp-relay" in config.splitlines()
    for tunnel in ("2001::-", "2002::-", "64:ff9b:1::-"):
        assert any(line.startswith(f"denied-peer-ip={tunnel}") for line in config.splitlines())
