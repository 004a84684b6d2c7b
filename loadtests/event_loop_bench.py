"""`make bench-loop`: do sign-ins stall everyone else on a web backend?

One backend worker serves every browser of its process on one event loop, so any blocking
call in a handler (a database query, an argon2 hash, a template render) makes every other
user wait. This starts the app on loopback (embedded setup: one backend worker) and opens
``--light`` browser tabs that each send a light event about twice a second, measuring its
round trip: half of them an event that touches no database (the test center's "play sound"),
half the first event of every page (the tenant's branding, one database read); first alone
("idle"), then while ``--signers`` other tabs sign in one after another, as fast as the app
answers ("sign-ins"). It prints p50/p95/p99 of the light events in both phases (and per
kind), the ratio of the p95s, the sign-ins per second, and the CPU the app and this load
generator used, so a generator at its limit shows.

    python -m loadtests.event_loop_bench [--light 100] [--signers 20] [--seconds 30]
        [--app-root PATH]   # measure another checkout (e.g. the code before a change)

Everything goes to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
import socketio

from app.services.demo import DEMO_PASSWORD
from loadtests.reflex_client import state_name
from tests.app_server import ROOT, running_app

PARAMS = {"tenant": "demo"}
LIGHT_EVENTS = {
    "no_db": (f"{state_name('test_center', 'TestCenterState')}.play_sound", "/t/demo/test-center"),
    "page_start": (f"{state_name('tenant', 'TenantState')}.load", "/t/demo/login"),
}
LOGIN = f"{state_name('login', 'LoginState')}.submit"
LOGIN_STATE = state_name("login", "LoginState")


class Tab:
    """One browser tab on the event socket that sends events and waits for their answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = str(uuid.uuid4())
        self.sio = socketio.AsyncClient(reconnection=False)
        self.answer: asyncio.Future[dict[str, Any]] | None = None
        self.sio.on("event", self._on_update, namespace="/_event")

    async def connect(self) -> None:
        await self.sio.connect(
            f"{self.base}?token={self.token}",
            namespaces=["/_event"],
            socketio_path="_event",
            transports=["websocket"],
            wait_timeout=30,
        )

    async def _on_update(self, update: dict[str, Any]) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_result(update)

    async def send(self, name: str, path: str, payload: dict[str, Any] | None = None) -> float:
        """Send one event; return its round trip in milliseconds."""
        self.answer = asyncio.get_running_loop().create_future()
        event: dict[str, Any] = {
            "name": name,
            "router_data": {"pathname": path, "asPath": path, "query": PARAMS},
        }
        if payload is not None:
            event["payload"] = payload
        started = time.perf_counter()
        await self.sio.emit("event", event, namespace="/_event")
        await asyncio.wait_for(self.answer, timeout=60)
        return (time.perf_counter() - started) * 1000


async def light_tab(
    base: str, kind: str, until: float, rtts: list[tuple[str, float, float]]
) -> None:
    """Send the light event about twice a second; record (kind, when, round trip ms)."""
    tab = Tab(base)
    await tab.connect()
    event, path = LIGHT_EVENTS[kind]
    await asyncio.sleep(random.uniform(0, 0.5))
    try:
        while time.monotonic() < until:
            rtt = await tab.send(event, path)
            rtts.append((kind, time.monotonic(), rtt))
            await asyncio.sleep(random.uniform(0.3, 0.7))
    finally:
        await tab.sio.disconnect()


async def signing_tab(base: str, start: float, until: float, done: list[float]) -> None:
    """Sign in with the right password, over and over, from ``start`` until ``until``."""
    tab = Tab(base)
    await tab.connect()
    form = {"email": "anna.berger@alpina.example", "password": DEMO_PASSWORD}
    payload = {"form": {"__reflex_form_data__": [[k, v] for k, v in form.items()]}}
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    try:
        while time.monotonic() < until:
            await tab.send(LOGIN, "/t/demo/login", payload)
            done.append(time.monotonic())
    finally:
        await tab.sio.disconnect()


def _summary(values: list[float]) -> dict[str, float]:
    if len(values) < 20:
        return {"n": len(values)}
    cuts = statistics.quantiles(values, n=100)
    return {
        "n": len(values),
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
    }


async def measure(base: str, light: int, signers: int, seconds: float) -> dict[str, Any]:
    """Run the idle phase, then the sign-in phase; return the figures."""
    begin = time.monotonic()
    load_start = begin + 5 + seconds  # 5 s to connect, then the idle phase
    end = load_start + seconds
    rtts: list[tuple[str, float, float]] = []
    sign_ins: list[float] = []
    kinds = list(LIGHT_EVENTS)
    tasks = [light_tab(base, kinds[n % len(kinds)], end, rtts) for n in range(light)]
    tasks += [signing_tab(base, load_start, end, sign_ins) for _ in range(signers)]
    await asyncio.gather(*tasks)

    def phase(start: float, stop: float, kind: str = "") -> dict[str, float]:
        return _summary([rtt for k, when, rtt in rtts if start <= when < stop and kind in ("", k)])

    idle_from, busy_from = begin + 5, load_start + 2  # 2 s for the sign-ins to ramp up
    return {
        "idle": phase(idle_from, load_start),
        "sign_ins": phase(busy_from, end),
        "per_kind": {
            kind: {
                "idle": phase(idle_from, load_start, kind),
                "sign_ins": phase(busy_from, end, kind),
            }
            for kind in kinds
        },
        "sign_ins_per_s": round(len(sign_ins) / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Start the app, measure, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--light", type=int, default=100)
    parser.add_argument("--signers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--app-root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    with running_app(root=args.app_root) as app:
        server = _app_process(app.url)
        me = psutil.Process()
        app_cpu, gen_cpu = _cpu(server), _own_cpu(me)
        wall = time.monotonic()
        figures = asyncio.run(measure(app.url, args.light, args.signers, args.seconds))
        wall = time.monotonic() - wall
        figures["app_cpu_percent"] = round((_cpu(server) - app_cpu) / wall * 100)
        figures["generator_cpu_percent"] = round((_own_cpu(me) - gen_cpu) / wall * 100)
    idle, busy = figures["idle"], figures["sign_ins"]
    if "p95" in idle and "p95" in busy:
        figures["p95_ratio"] = round(busy["p95"] / idle["p95"], 2)
    figures["app_root"] = str(args.app_root)
    print(json.dumps(figures), flush=True)
    return 0


def _app_process(url: str) -> psutil.Process:
    """The process that listens on the app's port (the Reflex backend)."""
    port = int(url.rsplit(":", 1)[1])
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
            assert conn.pid is not None
            return psutil.Process(conn.pid)
    raise RuntimeError(f"nothing listens on {url}")


def _own_cpu(process: psutil.Process) -> float:
    """CPU seconds of this load generator alone (the app it started is its child)."""
    times = process.cpu_times()
    return times.user + times.system


def _cpu(process: psutil.Process) -> float:
    """CPU seconds of ``process`` and its children (Reflex runs its backend in a child)."""
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system
    return total


if __name__ == "__main__":
    raise SystemExit(main())
