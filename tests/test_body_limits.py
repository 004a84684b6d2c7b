"""The body limits middleware refuses what is too large before (or while) the app reads it."""

from __future__ import annotations

from collections.abc import Iterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Scope

from app.api.middleware_bodies import Admission, BodyLimits


class Recorder:
    """A tiny app that reads whole bodies and remembers how many bytes it got."""

    def __init__(self) -> None:
        self.calls = 0
        self.read = 0

    async def echo(self, request: Request) -> JSONResponse:
        self.calls += 1
        body = await request.body()
        self.read = len(body)
        return JSONResponse({"bytes": len(body)})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self.echo, methods=["POST"])])


async def _gate_refusing_strangers(scope: Scope, length: int | None) -> Admission:
    known = dict(scope["headers"]).get(b"x-known") == b"yes"
    return Admission(limit=100, refusal=0 if known else 403, reason="please sign in")


def _client(recorder: Recorder) -> TestClient:
    app = BodyLimits(
        recorder.app(),
        limits={"/small": 10},
        gates={"/gated": _gate_refusing_strangers},
        default=1000,
    )
    return TestClient(app)


def _chunks(total: int, size: int = 7) -> Iterator[bytes]:
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


def test_a_body_declared_over_the_limit_is_refused_before_the_app_runs() -> None:
    recorder = Recorder()
    answer = _client(recorder).post("/small", content=b"x" * 11)
    assert answer.status_code == 413
    assert answer.headers["connection"] == "close"
    assert recorder.calls == 0


def test_a_chunked_body_is_cut_off_at_the_limit_while_the_app_reads_it() -> None:
    recorder = Recorder()
    answer = _client(recorder).post("/small", content=_chunks(5000))
    assert answer.status_code == 413
    assert recorder.calls == 1 and recorder.read == 0  # the app never got the body


def test_bodies_within_their_limits_reach_the_app() -> None:
    recorder = Recorder()
    client = _client(recorder)
    assert client.post("/small", content=b"x" * 10).json() == {"bytes": 10}
    assert client.post("/other", content=_chunks(1000)).json() == {"bytes": 1000}
    assert client.post("/other", content=b"x" * 1001).status_code == 413


def test_a_gate_refuses_a_stranger_before_the_body_is_read() -> None:
    recorder = Recorder()
    client = _client(recorder)
    answer = client.post("/gated", content=b"x" * 50)
    assert answer.status_code == 403
    assert answer.json() == {"detail": "please sign in"}
    assert recorder.calls == 0
    assert client.post("/gated", content=b"x" * 50, headers={"x-known": "yes"}).json() == {
        "bytes": 50
    }
    answer = client.post("/gated", content=_chunks(101), headers={"x-known": "yes"})
    assert answer.status_code == 413


def test_a_malformed_length_is_refused() -> None:
    recorder = Recorder()
    answer = _client(recorder).post("/other", content=b"abc", headers={"content-length": "x3"})
    assert answer.status_code == 400
    assert recorder.calls == 0
