"""What the moderator decides, the media node enforces: only the presenter shares a screen,
a removed participant is sent away for good; and the node tells the app who is connected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from app.services import media_signals
from tests.media.conftest import media_node, presence_reports
from tests.media.peers import Peer, next_frame, token_for

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
async def room_of_two(node: str, http: aiohttp.ClientSession) -> AsyncIterator[tuple[Peer, Peer]]:
    """The advisor (moderator, presenter) and a customer in room "m1"."""
    advisor, customer = Peer(node, http), Peer(node, http)
    await advisor.join(token_for("m1", "advisor", "moderator", presenter="advisor"))
    await customer.join(token_for("m1", "customer", presenter="advisor"))
    yield advisor, customer
    for peer in (advisor, customer):
        await peer.close()


async def command(http: aiohttp.ClientSession, node: str, token: str) -> int:
    async with http.post(f"{node}/control", data=token) as response:
        return response.status


async def test_only_the_presenter_shares_a_screen_and_others_see_it(
    room_of_two: tuple[Peer, Peer],
) -> None:
    advisor, customer = room_of_two
    await customer.send({"type": "publish", "source": "screen", "sdp": "v=0\r\nm=video 9 x\r\n"})
    assert (await customer.expect("error"))["code"] == "forbidden"
    await advisor.publish("screen")
    published = await customer.expect("published")
    assert published["publication"]["source"] == "screen"
    tracks = await customer.subscribe("advisor", "screen")
    assert set(tracks) <= {"video"}
    frame = await next_frame(await _video(tracks), 10)
    assert frame.width > 0


async def _video(tracks: dict[str, object]) -> object:
    for _ in range(100):
        if "video" in tracks:
            return tracks["video"]
        await asyncio.sleep(0.05)
    raise AssertionError("no video track")


async def test_presenter_handover_ends_the_old_share_and_lets_the_new_presenter_share(
    node: str, http: aiohttp.ClientSession, room_of_two: tuple[Peer, Peer]
) -> None:
    advisor, customer = room_of_two
    await advisor.publish("screen")
    await customer.expect("published")
    assert await command(http, node, "forged.command.token") == 403
    token = media_signals.sign_command("m1", "presenter", participant="customer")
    assert await command(http, node, token) == 200
    ended = await customer.expect("unpublished")
    assert (ended["participant"], ended["source"]) == ("advisor", "screen")
    assert (await customer.expect("presenter"))["participant"] == "customer"
    await customer.publish("screen")
    assert (await advisor.expect("published"))["publication"]["participant"] == "customer"


async def test_removed_participant_is_sent_away_and_cannot_come_back(
    node: str, http: aiohttp.ClientSession, room_of_two: tuple[Peer, Peer]
) -> None:
    advisor, customer = room_of_two
    token = media_signals.sign_command("m1", "remove", participant="customer")
    assert await command(http, node, token) == 200
    await customer.expect("removed")
    assert (await advisor.expect("participant-left"))["participant"] == "customer"
    again = Peer(node, http)
    await again.connect()
    await again.send({"type": "join", "token": token_for("m1", "customer")})
    assert (await again.expect("error"))["code"] == "removed"
    await again.close()


async def test_participant_mutes_their_own_microphone_but_nobody_elses(
    room_of_two: tuple[Peer, Peer],
) -> None:
    advisor, customer = room_of_two
    await customer.publish()
    await advisor.expect("published")
    await customer.send({"type": "mute", "participant": "customer", "kind": "audio"})
    muted = await advisor.expect("muted")
    assert (muted["publication"]["participant"], muted["publication"]["muted"]) == (
        "customer",
        True,
    )


async def test_node_reports_who_is_connected_to_the_app(http: aiohttp.ClientSession) -> None:
    async with presence_reports() as (events_url, reports):
        with media_node("reporting", CONSILIO_MEDIA_EVENTS_URL=events_url) as (base, _proc):
            peer = Peer(base, http)
            await peer.join(token_for("r1", "eva"))
            assert await asyncio.wait_for(reports.get(), 10) == ("r1", "eva", True)
            await peer.close()
            assert await asyncio.wait_for(reports.get(), 10) == ("r1", "eva", False)


async def test_a_replayed_command_is_refused_and_cannot_undo_a_newer_handover(
    node: str, http: aiohttp.ClientSession, room_of_two: tuple[Peer, Peer]
) -> None:
    _advisor, customer = room_of_two
    to_customer = media_signals.sign_command("m1", "presenter", participant="customer")
    back_to_advisor = media_signals.sign_command("m1", "presenter", participant="advisor")
    assert await command(http, node, to_customer) == 200
    assert (await customer.expect("presenter"))["participant"] == "customer"
    assert await command(http, node, back_to_advisor) == 200
    assert (await customer.expect("presenter"))["participant"] == "advisor"
    # Whoever recorded the first command sends it again within its minute: refused.
    assert await command(http, node, to_customer) == 409
    with pytest.raises(TimeoutError):
        await customer.expect("presenter", timeout=1)


async def test_a_token_held_from_earlier_cannot_take_the_presenter_right_back(
    node: str, http: aiohttp.ClientSession, room_of_two: tuple[Peer, Peer]
) -> None:
    advisor, customer = room_of_two
    to_customer = media_signals.sign_command("m1", "presenter", participant="customer")
    assert await command(http, node, to_customer) == 200
    assert (await advisor.expect("presenter"))["participant"] == "customer"
    # A token issued while the advisor still presented (held for its 2 minutes) joins now.
    stale = Peer(node, http)
    joined = await stale.join(token_for("m1", "guest", presenter="advisor"))
    assert joined["presenter"] == "customer"
    await customer.publish("screen")
    assert (await advisor.expect("published"))["publication"]["source"] == "screen"
    await stale.close()
