"""A real media node forwards published audio and video to subscribers without decoding."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiortc.mediastreams import MediaStreamTrack

from tests.media.peers import HEIGHT, WIDTH, Peer, next_frame, token_for

pytestmark = pytest.mark.timeout(90)


def health(node: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{node}/health", timeout=5) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.fixture
async def peers(node: str, http: aiohttp.ClientSession) -> AsyncIterator[list[Peer]]:
    made: list[Peer] = []
    yield made
    for peer in made:
        await peer.close()


def _peer(node: str, http: aiohttp.ClientSession, peers: list[Peer]) -> Peer:
    peer = Peer(node, http)
    peers.append(peer)
    return peer


async def _advisor_seen_by_customer(
    node: str, http: aiohttp.ClientSession, peers: list[Peer], room: str
) -> tuple[Peer, Peer, dict[str, MediaStreamTrack]]:
    """The advisor (moderator) publishes; the customer receives the first picture."""
    advisor, customer = _peer(node, http, peers), _peer(node, http, peers)
    await advisor.join(token_for(room, "advisor", "moderator"))
    await advisor.publish()
    await customer.join(token_for(room, "customer"))
    tracks = await customer.subscribe("advisor")
    await next_frame(tracks["video"], 10)
    return advisor, customer, tracks


async def test_subscriber_gets_the_publishers_video_and_audio_and_the_node_decodes_nothing(
    node: str, http: aiohttp.ClientSession, peers: list[Peer]
) -> None:
    advisor, customer = _peer(node, http, peers), _peer(node, http, peers)
    await advisor.join(token_for("r1", "advisor", "moderator"))
    await advisor.publish()
    joined = await customer.join(token_for("r1", "customer"))
    assert {p["kind"] for p in joined["publications"]} == {"audio", "video"}

    tracks = await customer.subscribe("advisor")
    first = await next_frame(tracks["video"], 10)
    assert (first.width, first.height) == (WIDTH, HEIGHT)
    for _ in range(10):  # the picture keeps coming
        frame = await next_frame(tracks["video"], 2)
    assert frame.pts > first.pts
    audio = await next_frame(tracks["audio"], 5)
    assert audio.sample_rate == 48000

    state = health(node)
    assert state["decoder_threads"] == 0
    assert (state["rooms"], state["participants"]) == (1, 2)


async def test_late_subscriber_sees_a_picture_within_one_second(
    node: str, http: aiohttp.ClientSession, peers: list[Peer]
) -> None:
    advisor, early, late = (_peer(node, http, peers) for _ in range(3))
    await advisor.join(token_for("r2", "advisor", "moderator"))
    await advisor.publish()
    await early.join(token_for("r2", "early"))
    early_tracks = await early.subscribe("advisor")
    await next_frame(early_tracks["video"], 10)
    await asyncio.sleep(2)  # the publisher's last keyframe is long gone

    await late.join(token_for("r2", "late"))
    started = time.monotonic()
    late_tracks = await late.subscribe("advisor")
    await next_frame(late_tracks["video"], 5)
    assert time.monotonic() - started < 1.0


async def test_moderator_mute_stops_forwarding_and_unmute_brings_the_picture_back(
    node: str, http: aiohttp.ClientSession, peers: list[Peer]
) -> None:
    advisor, customer = _peer(node, http, peers), _peer(node, http, peers)
    await customer.join(token_for("r3", "customer"))
    await customer.publish()
    await advisor.join(token_for("r3", "advisor", "moderator"))
    tracks = await advisor.subscribe("customer")
    await next_frame(tracks["video"], 10)

    await advisor.send({"type": "mute", "participant": "customer", "kind": "video"})
    assert (await customer.expect("muted"))["publication"]["muted"] is True
    await asyncio.sleep(0.5)  # frames already on their way
    with pytest.raises(asyncio.TimeoutError):
        while True:
            await next_frame(tracks["video"], 1.5)

    await advisor.send({"type": "mute", "participant": "customer", "kind": "video", "muted": False})
    await next_frame(tracks["video"], 3)


async def test_only_the_moderator_mutes(
    node: str, http: aiohttp.ClientSession, peers: list[Peer]
) -> None:
    advisor, customer = _peer(node, http, peers), _peer(node, http, peers)
    await advisor.join(token_for("r4", "advisor", "moderator"))
    await advisor.publish()
    await customer.join(token_for("r4", "customer"))
    await customer.send({"type": "mute", "participant": "advisor", "kind": "audio"})
    assert (await customer.expect("error"))["code"] == "forbidden"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("not-a-token", "token_invalid"),
        ("FORGED", "token_invalid"),
        ("EXPIRED", "token_expired"),
    ],
)
async def test_forged_or_expired_join_token_is_refused_and_the_room_goes_on(
    node: str, http: aiohttp.ClientSession, peers: list[Peer], token: str, code: str
) -> None:
    _, _, tracks = await _advisor_seen_by_customer(node, http, peers, "r5")
    intruder = _peer(node, http, peers)

    if token == "EXPIRED":  # valid signature, but issued a minute ago for 1 second
        token = token_for("r5", "intruder", lifetime_seconds=1, now=time.time() - 60)
    if token == "FORGED":  # signed with another key
        header, payload, _ = token_for("r5", "intruder", "moderator").split(".")
        token = f"{header}.{payload}.{'A' * 43}"
    await intruder.connect()
    await intruder.send({"type": "join", "token": token})
    assert (await intruder.expect("error"))["code"] == code
    assert (await intruder.expect("closed"))["type"] == "closed"
    await next_frame(tracks["video"], 2)
    assert health(node)["participants"] == 2


async def test_malformed_messages_are_answered_with_errors_and_change_nothing(
    node: str, http: aiohttp.ClientSession, peers: list[Peer]
) -> None:
    advisor, customer, tracks = await _advisor_seen_by_customer(node, http, peers, "r6")

    bad: list[tuple[Peer, dict[str, object] | str, str]] = [
        (customer, "not json", "bad_message"),
        (customer, {"no": "type"}, "bad_message"),
        (customer, {"type": 5}, "bad_message"),
        (customer, {"type": "teleport"}, "bad_message"),
        (customer, {"type": "subscribe", "publisher": "nobody", "sdp": "v=0"}, "unknown_publisher"),
        (customer, {"type": "subscribe", "publisher": "advisor", "sdp": "garbage"}, "bad_sdp"),
        (customer, {"type": "candidate", "target": "publish", "candidate": "x"}, "bad_message"),
        (customer, {"type": "publish", "sdp": "x" * 40_000}, "bad_message"),
        (advisor, {"type": "mute", "participant": "customer", "kind": "smell"}, "bad_message"),
        (advisor, {"type": "join", "token": token_for("r6", "advisor")}, "bad_message"),
    ]
    for peer, message, code in bad:
        await peer.send(message)
        assert (await peer.expect("error"))["code"] == code, message
    await next_frame(tracks["video"], 2)
    assert health(node)["participants"] == 2


async def test_same_participant_on_a_new_device_replaces_the_old_one_in_the_same_room(
    node: str, http: aiohttp.ClientSession, peers: list[Peer]
) -> None:
    laptop, phone, advisor = (_peer(node, http, peers) for _ in range(3))
    await laptop.join(token_for("r7", "customer"))
    await phone.join(token_for("r7", "customer"))  # the room had only the laptop in it
    assert (await laptop.expect("replaced"))["type"] == "replaced"
    assert (await laptop.expect("closed"))["type"] == "closed"
    await phone.publish()
    joined = await advisor.join(token_for("r7", "advisor", "moderator"))
    assert [p["id"] for p in joined["participants"]] == ["customer", "advisor"]
    tracks = await advisor.subscribe("customer")
    await next_frame(tracks["video"], 10)
    assert health(node)["rooms"] == 1
