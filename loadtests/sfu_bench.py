"""`make bench-sfu`: how much node CPU one forwarded 1 Mbit/s VP8 stream costs.

N publishers send a pre-encoded 640x480 VP8 clip at 1 Mbit/s (+ Opus) to a node, M subscribers
per publisher receive it; every client runs in a process of its own and neither encodes nor
decodes (publishers only packetize the clip, subscribers count reassembled frames). The same
configurations run against the media node (forwarding) and against a baseline node built on
aiortc's stock MediaRelay (decode once, encode per subscriber). Everything runs inside a
network namespace with only loopback (tools/private-net.sh); the run stops by itself.

Prints one JSON line per configuration and a summary line: forwarded streams, node
CPU-seconds per forwarded stream-second, loss %, latency p95 (publisher -> subscriber through
the node), and the ratio baseline/node.

    tools/private-net.sh .venv/bin/python -m loadtests.sfu_bench [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fractions
import json
import os
import pickle
import random
import secrets
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = secrets.token_urlsafe(48)  # node and clients get it through the environment
FPS = 30
BITRATE = 1_000_000
STAMP = struct.Struct("!d")  # send time appended to every video frame (subscribers never decode)


# --- the clip ---------------------------------------------------------------------------------
def make_clip(path: Path, seconds: int = 4) -> None:
    """Encode a VP8 clip (keyframe every 2 s) and Opus audio once; clients only replay them."""
    import av

    video = av.CodecContext.create("libvpx", "w")
    video.width, video.height, video.pix_fmt = 640, 480, "yuv420p"
    video.bit_rate, video.time_base = BITRATE, fractions.Fraction(1, FPS)
    video.gop_size = 2 * FPS
    video.qmin, video.qmax = 2, 63
    video.options = {  # constant 1 Mbit/s, as aiortc's own VP8 encoder sets it up
        "bufsize": str(BITRATE),
        "minrate": str(BITRATE),
        "maxrate": str(BITRATE),
        "cpu-used": "8",
        "deadline": "realtime",
        "lag-in-frames": "0",
        "undershoot-pct": "100",
    }
    frames: list[bytes] = []
    noise = random.Random(7)
    for index in range(seconds * FPS):
        frame = av.VideoFrame(640, 480, "yuv420p")
        for plane in frame.planes:  # a moving gradient with some noise: about 1 Mbit/s
            width = plane.line_size
            picture = bytearray(
                bytes((x * 2 + index * 4) % 256 for x in range(width))
                * (plane.buffer_size // width)
            )
            for _ in range(len(picture) // 50):
                picture[noise.randrange(len(picture))] = noise.randrange(256)
            plane.update(bytes(picture))
        frame.pts = index
        frames += [bytes(p) for p in video.encode(frame)]
    audio = av.CodecContext.create("libopus", "w")
    audio.sample_rate, audio.layout, audio.format = 48000, "stereo", "s16"
    audio.bit_rate = 32000
    packets: list[bytes] = []
    for index in range(seconds * 50):
        samples = av.AudioFrame(format="s16", layout="stereo", samples=960)
        samples.sample_rate, samples.pts = 48000, index * 960
        samples.planes[0].update(os.urandom(960 * 4))
        packets += [bytes(p) for p in audio.encode(samples)]
    path.write_bytes(pickle.dumps({"video": frames, "audio": packets}))


# --- clients ----------------------------------------------------------------------------------
def _use_loopback() -> None:
    from media_nodes.ice import restrict_host_addresses

    restrict_host_addresses(["127.0.0.1"])


def _token(room: str, participant: str) -> str:
    from app.services import join_tokens

    return join_tokens.issue(
        join_tokens.JoinGrant(room, participant, participant, "participant"),
        lifetime_seconds=3600,
    )


async def _signal(ws: Any, message: dict[str, Any], answer: str) -> dict[str, Any]:
    await ws.send_str(json.dumps(message))
    async for reply in ws:
        data = json.loads(reply.data)
        if data["type"] == answer:
            return data
        if data["type"] == "error":
            raise RuntimeError(data)
    raise RuntimeError("signaling closed")


async def publisher(node: str, room: str, clip: Path, seconds: float) -> None:
    """Send the clip in a loop: audio and video packets, packetized but never encoded."""
    import aiohttp
    import av
    from aiortc import RTCPeerConnection, RTCSessionDescription
    from aiortc.mediastreams import MediaStreamTrack

    _use_loopback()
    data = pickle.loads(clip.read_bytes())  # noqa: S301 (our own file)

    class Replay(MediaStreamTrack):
        def __init__(self, kind: str, packets: list[bytes], rate: int, clock: int) -> None:
            super().__init__()
            self.kind, self.packets, self.rate, self.clock = kind, packets, rate, clock
            self.index, self.started = 0, time.monotonic()

        async def recv(self) -> av.Packet:
            due = self.started + self.index / self.rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            raw = self.packets[self.index % len(self.packets)]
            if self.kind == "video":
                raw += STAMP.pack(time.time())
            packet = av.Packet(raw)
            packet.pts = self.index * (self.clock // self.rate)
            packet.time_base = fractions.Fraction(1, self.clock)
            self.index += 1
            return packet

    async with aiohttp.ClientSession() as http, http.ws_connect(f"{node}/ws") as ws:
        await _signal(ws, {"type": "join", "token": _token(room, "publisher")}, "joined")
        pc = RTCPeerConnection()
        pc.addTransceiver(Replay("audio", data["audio"], 50, 48000), direction="sendonly")
        pc.addTransceiver(Replay("video", data["video"], FPS, 90000), direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())
        reply = await _signal(
            ws, {"type": "publish", "sdp": pc.localDescription.sdp}, "publish-answer"
        )
        await pc.setRemoteDescription(RTCSessionDescription(reply["sdp"], "answer"))
        await asyncio.sleep(seconds)
        await pc.close()


async def subscribers(
    node: str, room: str, count: int, seconds: float, out: Path, stamped: bool
) -> None:
    """``count`` subscribers of the room's publisher in this process; counts, never decodes.

    ``stamped``: frames carry the publisher's send time (forwarded as is); a re-encoding
    baseline loses it, so latency is measured for the forwarding node only."""
    import aiohttp
    from aiortc import RTCPeerConnection, RTCSessionDescription

    from media_nodes.forwarding import ForwardingReceiver, forward_only

    _use_loopback()
    latencies: list[float] = []
    counts = {"video_frames": 0, "video_bytes": 0, "audio_frames": 0}
    receivers: list[ForwardingReceiver] = []
    measuring = {"on": False}

    def sink_for(kind: str) -> Any:
        def sink(_codec: Any, frame: Any) -> None:
            if not measuring["on"]:
                return
            counts[f"{kind}_frames"] += 1
            if kind == "video":
                counts["video_bytes"] += len(frame.data)
                if stamped:
                    (sent,) = STAMP.unpack(frame.data[-STAMP.size :])
                    latencies.append(time.time() - sent)

        return sink

    async with aiohttp.ClientSession() as http:
        sockets, pcs = [], []
        for index in range(count):
            ws = await http.ws_connect(f"{node}/ws")
            await _signal(ws, {"type": "join", "token": _token(room, f"sub{index}")}, "joined")
            pc = RTCPeerConnection()
            pc.addTransceiver("audio", direction="recvonly")
            pc.addTransceiver("video", direction="recvonly")
            forward_only(pc)
            for transceiver in pc.getTransceivers():
                receiver = transceiver.receiver
                assert isinstance(receiver, ForwardingReceiver)
                receiver.frame_sink = sink_for(transceiver.kind)
                receivers.append(receiver)
            await pc.setLocalDescription(await pc.createOffer())
            reply = await _signal(
                ws,
                {"type": "subscribe", "publisher": "publisher", "sdp": pc.localDescription.sdp},
                "subscribe-answer",
            )
            await pc.setRemoteDescription(RTCSessionDescription(reply["sdp"], "answer"))
            sockets.append(ws)
            pcs.append(pc)
        await asyncio.sleep(3)  # connect, first keyframe
        lost_before = _lost(receivers)
        measuring["on"] = True
        started = time.monotonic()
        await asyncio.sleep(seconds)
        measuring["on"] = False
        elapsed = time.monotonic() - started
        lost, expected = (a - b for a, b in zip(_lost(receivers), lost_before, strict=True))
        out.write_text(
            json.dumps(
                {
                    **counts,
                    "seconds": elapsed,
                    "subscribers": count,
                    "latencies": latencies[:: max(1, len(latencies) // 5000)],
                    "packets_lost": lost,
                    "packets_expected": expected,
                }
            )
        )
        for pc in pcs:
            await pc.close()
        for ws in sockets:
            await ws.close()


def _lost(receivers: list[Any]) -> tuple[int, int]:
    lost = expected = 0
    for receiver in receivers:
        for stream in receiver._RTCRtpReceiver__remote_streams.values():
            lost += max(0, stream.packets_lost)
            expected += stream.packets_expected
    return lost, expected


# --- baseline node: aiortc's MediaRelay (decode once, encode per subscriber) -----------------
async def baseline_node(port: int) -> None:
    """A node speaking the same signaling, built the way aiortc's examples relay media."""
    from aiohttp import WSMsgType, web
    from aiortc import RTCPeerConnection, RTCSessionDescription
    from aiortc.contrib.media import MediaRelay

    _use_loopback()
    relay = MediaRelay()
    published: dict[str, list[Any]] = {}

    async def ws_handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        pcs = []
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if data["type"] == "join":
                await ws.send_str(json.dumps({"type": "joined"}))
                continue
            pc = RTCPeerConnection()
            pcs.append(pc)
            await pc.setRemoteDescription(RTCSessionDescription(data["sdp"], "offer"))
            if data["type"] == "publish":
                published["publisher"] = [t.receiver.track for t in pc.getTransceivers()]
            else:
                for track in published["publisher"]:
                    pc.addTrack(relay.subscribe(track))
            await pc.setLocalDescription(await pc.createAnswer())
            reply = "publish-answer" if data["type"] == "publish" else "subscribe-answer"
            await ws.send_str(json.dumps({"type": reply, "sdp": pc.localDescription.sdp}))
        for pc in pcs:
            await pc.close()
        return ws

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_get("/ws", ws_handler)
    app.router.add_get("/health", health)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


# --- orchestration ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "loadtests.sfu_bench", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )


def run_configuration(
    kind: str, publishers: int, per_publisher: int, seconds: float, clip: Path, work: Path
) -> dict[str, Any]:
    """One configuration against one node kind ("sfu" or "baseline")."""
    env = {
        **os.environ,
        "CONSILIO_SECRET_KEY": SECRET,
        "CONSILIO_MEDIA_ICE_ADDRESSES": "127.0.0.1",
        "CONSILIO_LOG_LEVEL": "WARNING",
        "CONSILIO_MEDIA_SOCKETS_PER_ADDRESS": "1000",  # every client is on 127.0.0.1
        "PYTHONPATH": str(ROOT),
    }
    port = _free_port()
    log = work / f"{kind}-{publishers}x{per_publisher}.log"
    if kind == "sfu":
        node = subprocess.Popen(
            [sys.executable, "-m", "media_nodes"],
            cwd=ROOT,
            env={**env, "CONSILIO_MEDIA_PORT": str(port)},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
    else:
        node = _spawn(["baseline-node", str(port)], env, log)
    base = f"http://127.0.0.1:{port}"
    clients: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/health", timeout=1):  # noqa: S310
                break
            time.sleep(0.1)
        total = seconds + 8
        for p in range(publishers):
            clients.append(_spawn(["publisher", base, f"room{p}", str(clip), str(total)], env, log))
        time.sleep(2)
        outs = []
        for p in range(publishers):
            out = work / f"{kind}-{p}.json"
            outs.append(out)
            clients.append(
                _spawn(
                    [
                        "subscribers",
                        base,
                        f"room{p}",
                        str(per_publisher),
                        str(seconds),
                        str(out),
                        kind,
                    ],
                    env,
                    log,
                )
            )
        time.sleep(3 + 0.05 * per_publisher * publishers)
        cpu_before, wall_before = _cpu_seconds(node.pid), time.monotonic()
        time.sleep(seconds)
        cpu, wall = _cpu_seconds(node.pid) - cpu_before, time.monotonic() - wall_before
        for client in clients:
            client.wait(timeout=120)
    finally:
        for process in (*clients, node):
            if process.poll() is None:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=10)
    results = [json.loads(out.read_text()) for out in outs if out.exists()]
    video_frames = sum(r["video_frames"] for r in results)
    stream_seconds = sum(r["subscribers"] * r["seconds"] for r in results)
    lost = sum(r["packets_lost"] for r in results)
    expected = sum(r["packets_expected"] for r in results)
    latencies = sorted(x for r in results for x in r["latencies"])
    streams = publishers * per_publisher
    return {
        "node": kind,
        "publishers": publishers,
        "subscribers_per_publisher": per_publisher,
        "forwarded_video_streams": streams,
        "node_cpu_percent": round(100 * cpu / wall, 1),
        "node_cpu_s_per_stream_s": round(cpu / (streams * wall), 5) if streams else None,
        "received_fps_per_stream": round(video_frames / stream_seconds, 1) if stream_seconds else 0,
        "received_kbit_s_per_stream": round(
            8 * sum(r["video_bytes"] for r in results) / stream_seconds / 1000, 0
        )
        if stream_seconds
        else 0,
        "loss_percent": round(100 * lost / expected, 2) if expected else None,
        "latency_p95_ms": round(1000 * statistics.quantiles(latencies, n=20)[18], 1)
        if len(latencies) >= 20
        else None,
        "complete": len(results) == publishers,
    }


def main(argv: list[str] | None = None) -> int:
    """The orchestrator, or one of the client / baseline processes it starts."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "publisher":
        asyncio.run(publisher(args[1], args[2], Path(args[3]), float(args[4])))
        return 0
    if args and args[0] == "subscribers":
        asyncio.run(
            subscribers(
                args[1], args[2], int(args[3]), float(args[4]), Path(args[5]), args[6] == "sfu"
            )
        )
        return 0
    if args and args[0] == "baseline-node":
        asyncio.run(baseline_node(int(args[1])))
        return 0

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--sfu", default="1x10,1x30,2x30", help="publishers x subscribers, comma-separated"
    )
    parser.add_argument("--baseline", default="1x4", help="configurations for MediaRelay")
    options = parser.parse_args(args)
    names = [name for _, name in socket.if_nameindex()]
    if names != ["lo"]:
        print(f"run inside tools/private-net.sh (interfaces here: {names})", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="consilio-bench-sfu-"))
    clip = work / "clip.pickle"
    make_clip(clip)
    rows = []
    for kind, configs in (("baseline", options.baseline), ("sfu", options.sfu)):
        for config in filter(None, configs.split(",")):
            publishers, per_publisher = (int(x) for x in config.split("x"))
            row = run_configuration(kind, publishers, per_publisher, options.seconds, clip, work)
            print(json.dumps(row), flush=True)
            rows.append(row)
    sfu = [r for r in rows if r["node"] == "sfu" and r["node_cpu_s_per_stream_s"]]
    base = [r for r in rows if r["node"] == "baseline" and r["node_cpu_s_per_stream_s"]]
    best = max(sfu, key=lambda r: r["forwarded_video_streams"]) if sfu else None
    summary: dict[str, Any] = {"summary": True, "logs": str(work)}
    if best:
        summary.update(
            forwarded_video_streams=best["forwarded_video_streams"],
            node_cpu_s_per_stream_s=best["node_cpu_s_per_stream_s"],
            streams_per_core=round(1 / best["node_cpu_s_per_stream_s"]),
            loss_percent=best["loss_percent"],
            latency_p95_ms=best["latency_p95_ms"],
        )
    if best and base:
        summary["baseline_cpu_s_per_stream_s"] = base[0]["node_cpu_s_per_stream_s"]
        summary["ratio_baseline_to_sfu"] = round(
            base[0]["node_cpu_s_per_stream_s"] / best["node_cpu_s_per_stream_s"], 1
        )
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
