"""TURN credentials live minutes, not hours: the node hands a participant fresh ones while they
are in the room, and a removed participant's last ones stop working at coturn."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from aioice import stun

from app.services import media_signals
from tests.media.conftest import media_node
from tests.media.peers import Peer, token_for
from tests.media.test_turn import allocate
from tests.servers import coturn

pytestmark = pytest.mark.timeout(90)
LIFETIME = 3


def expiry(ice_servers: list[dict[str, Any]]) -> int:
    """When the credentials in an iceServers list expire (the TURN username starts with it)."""
    return int(ice_servers[0]["username"].partition(":")[0])


async def relays(port: int, ice_servers: list[dict[str, Any]]) -> bool:
    """Whether coturn grants an allocation with these credentials."""
    try:
        protocol = await allocate(port, ice_servers[0]["username"], ice_servers[0]["credential"])
    except stun.TransactionFailed:
        return False
    await protocol.delete()
    return True


async def test_participant_gets_fresh_turn_credentials_and_a_removed_ones_expire(
    http: aiohttp.ClientSession,
) -> None:
    with coturn("test") as port:
        settings = {
            "CONSILIO_TURN_URLS": f"turn:127.0.0.1:{port}?transport=udp",
            "CONSILIO_TURN_CREDENTIAL_SECONDS": str(LIFETIME),
        }
        with media_node("renewing", **settings) as (node, _proc):
            advisor, customer = Peer(node, http), Peer(node, http)
            joined = (await advisor.join(token_for("t1", "advisor", "moderator")))["iceServers"]
            assert abs(expiry(joined) - (time.time() + LIFETIME)) <= 1
            assert joined[0]["urls"] == [f"turn:127.0.0.1:{port}?transport=udp"]

            renewed = (await advisor.expect("ice-servers", timeout=LIFETIME))["iceServers"]
            assert expiry(renewed) > expiry(joined)
            assert await relays(port, renewed)

            await customer.join(token_for("t1", "customer"))
            last = (await customer.expect("ice-servers", timeout=LIFETIME))["iceServers"]
            token = media_signals.sign_command("t1", "remove", participant="customer")
            async with http.post(f"{node}/control", data=token) as response:
                assert response.status == 200
            await customer.expect("removed")
            assert (await customer.inbox.get())["type"] == "closed"  # no renewal after that

            await asyncio.sleep(max(0.0, expiry(last) + 1.5 - time.time()))
            assert not await relays(port, last)  # the removed participant's relay is gone
            while not advisor.inbox.empty():  # renewals queued meanwhile have expired by now
                advisor.inbox.get_nowait()
            fresh = (await advisor.expect("ice-servers", timeout=LIFETIME))["iceServers"]
            assert await relays(port, fresh)  # while the advisor's keeps working
            for peer in (advisor, customer):
                await peer.close()
