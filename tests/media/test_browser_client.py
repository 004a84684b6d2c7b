"""The browser's meeting client (assets/meeting.js) in real Chromium with fake camera and
microphone, through a real media node: everyone sees everyone else's video playing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, async_playwright

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.media.conftest import media_node
from tests.media.peers import token_for
from tests.servers import coturn, free_port

pytestmark = pytest.mark.timeout(120)
ASSETS = Path(__file__).resolve().parents[2] / "assets"
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
]
HARNESS = """<!doctype html><html><body>
<video id="local" autoplay playsinline></video><div id="remote"></div>
<script src="/meeting.js"></script>
<script>
window.events = [];
window.startMeeting = async (config) => {
  window.meeting = new ConsilioMeeting({...config,
    container: document.getElementById("remote"),
    localVideo: document.getElementById("local"),
    onEvent: (type) => window.events.push(type)});
  await window.meeting.start();
};
</script></body></html>"""


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """Serves the meeting client next to a bare page that starts it."""

    async def harness(_request: web.Request) -> web.Response:
        return web.Response(text=HARNESS, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", harness)
    app.router.add_static("/", ASSETS)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
        )
        yield instance
        await instance.close()


async def enter(browser: Browser, site: str, node: str, room: str, who: str) -> Page:
    page = await (await browser.new_context()).new_page()
    await page.goto(site)
    await page.evaluate(
        "config => window.startMeeting(config)",
        {"signalingUrl": node.replace("http", "ws") + "/ws", "token": token_for(room, who)},
    )
    return page


async def sees_video_of(page: Page, others: int) -> None:
    """``others`` remote videos, each with a picture, each decoding more frames over time."""
    await page.wait_for_function(
        """n => { const v = [...document.querySelectorAll('#remote video')];
                  return v.length === n && v.every(x => x.videoWidth > 0); }""",
        arg=others,
        timeout=20_000,
    )
    frames = await page.evaluate(
        "[...document.querySelectorAll('#remote video')]"
        ".map(v => v.getVideoPlaybackQuality().totalVideoFrames)"
    )
    await page.wait_for_timeout(1000)
    later = await page.evaluate(
        "[...document.querySelectorAll('#remote video')]"
        ".map(v => v.getVideoPlaybackQuality().totalVideoFrames)"
    )
    assert all(b > a for a, b in zip(frames, later, strict=True)), (frames, later)


async def test_two_browsers_see_each_other(browser: Browser, site: str, node: str) -> None:
    advisor = await enter(browser, site, node, "b1", "advisor")
    customer = await enter(browser, site, node, "b1", "customer")
    await sees_video_of(customer, 1)
    await sees_video_of(advisor, 1)


async def test_three_browsers_see_the_two_others(browser: Browser, site: str, node: str) -> None:
    pages = [await enter(browser, site, node, "b2", who) for who in ("advisor", "anna", "ben")]
    for page in pages:
        await sees_video_of(page, 2)
    await pages[2].evaluate("window.meeting.leave()")
    for page in pages[:2]:
        await page.wait_for_function(
            "document.querySelectorAll('#remote video').length === 1", timeout=10_000
        )


async def test_browsers_apply_the_fresh_turn_credentials_the_node_sends(
    browser: Browser, site: str
) -> None:
    with coturn("test") as port:
        settings = {
            "CONSILIO_TURN_URLS": f"turn:127.0.0.1:{port}?transport=udp",
            "CONSILIO_TURN_CREDENTIAL_SECONDS": "4",
        }
        with media_node("renewing-browsers", **settings) as (node, _proc):
            advisor = await enter(browser, site, node, "b3", "advisor")
            customer = await enter(browser, site, node, "b3", "customer")
            await sees_video_of(customer, 1)
            first = await turn_usernames(advisor)
            await advisor.wait_for_function(
                "first => window.meeting.options.iceServers[0].username !== first",
                arg=first[0],
                timeout=10_000,
            )
            renewed = await turn_usernames(advisor)
            assert len(renewed) == 2 and len(set(renewed)) == 1  # publisher and subscription
            assert renewed[0] != first[0] and renewed[0].endswith(":advisor")
            await sees_video_of(advisor, 1)


async def turn_usernames(page: Page) -> list[str]:
    """The TURN username each of the page's open peer connections is configured with."""
    return list(
        await page.evaluate(
            """() => {
                 const m = window.meeting;
                 const pcs = [...m.publishers.values(), ...[...m.subscriptions.values()].map(s => s.pc)];
                 return pcs.map(pc => pc.getConfiguration().iceServers[0].username);
               }"""
        )
    )
