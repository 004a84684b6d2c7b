"""Forwarding never mixes codecs: a room uses H.264 only when everyone can receive it, VP8
otherwise, whatever order an offer lists its codecs in."""

from __future__ import annotations

import aiohttp
import pytest

from tests.media.peers import HEIGHT, WIDTH, Peer, next_frame, token_for

pytestmark = pytest.mark.timeout(90)

BOTH = ["video/VP8", "video/H264"]


async def sees_picture(peer: Peer, publisher: str) -> None:
    tracks = await peer.subscribe(publisher)
    frame = await next_frame(tracks["video"], timeout=10)
    assert (frame.width, frame.height) == (WIDTH, HEIGHT)


async def test_room_where_everyone_receives_h264_forwards_h264(
    node: str, http: aiohttp.ClientSession
) -> None:
    advisor, customer = Peer(node, http), Peer(node, http)
    await advisor.join(token_for("c1", "advisor", "moderator"), receive=BOTH)
    await customer.join(token_for("c1", "customer"), receive=BOTH)
    await advisor.publish(prefer="video/H264")
    codecs = {}
    for _ in range(2):
        publication = (await customer.expect("published"))["publication"]
        codecs[publication["kind"]] = publication["codec"]
    assert codecs["video"] == "video/H264"
    await sees_picture(customer, "advisor")  # a late subscriber: the IDR frame starts it
    for peer in (advisor, customer):
        await peer.close()


async def test_h264_first_offer_goes_vp8_when_someone_cannot_receive_h264(
    node: str, http: aiohttp.ClientSession
) -> None:
    advisor, customer = Peer(node, http), Peer(node, http)
    await advisor.join(token_for("c2", "advisor", "moderator"), receive=BOTH)
    await customer.join(token_for("c2", "customer"), receive=["video/VP8"])
    await advisor.publish(prefer="video/H264")  # Safari-style offer
    kinds = {}
    for _ in range(2):
        publication = (await customer.expect("published"))["publication"]
        kinds[publication["kind"]] = publication["codec"]
    assert kinds["video"] == "video/VP8"
    await sees_picture(customer, "advisor")
    for peer in (advisor, customer):
        await peer.close()


async def test_newcomer_without_h264_makes_the_publisher_publish_again(
    node: str, http: aiohttp.ClientSession
) -> None:
    advisor = Peer(node, http)
    await advisor.join(token_for("c3", "advisor", "moderator"), receive=BOTH)
    await advisor.publish(prefer="video/H264")
    late = Peer(node, http)
    joined = await late.join(token_for("c3", "late"), receive=["video/VP8"])
    assert "video/H264" in {p["codec"] for p in joined["publications"]}
    assert await advisor.expect("republish") == {"type": "republish", "source": "camera"}
    for peer in (advisor, late):
        await peer.close()
