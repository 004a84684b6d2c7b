"""The security headers middleware: what every response gets, and what only pages get."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from app.api.middleware_headers import (
    SecurityHeaders,
    carries_secret,
    connect_sources,
    inline_script_hashes,
)
from app.settings import Settings, get_settings

PAGE = (
    b"<html><head><script>window.a = 1;</script><script src='/x.js'></script>"
    b"<script type=\"module\">import '/y.js';</script></head><body></body></html>"
)


def _sha(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


def _app() -> Starlette:
    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE.decode())

    async def data(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def image(request: Request) -> Response:
        return Response(b"img", headers={"Content-Security-Policy": "default-src 'none'; sandbox"})

    async def revalidated(request: Request) -> Response:
        return Response(status_code=304)

    return Starlette(
        routes=[
            Route("/data", data),
            Route("/image", image),
            Route("/cached", revalidated),
            Route("/{path:path}", page),
        ]
    )


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_bytes(PAGE)
    (tmp_path / "login").mkdir()
    (tmp_path / "login" / "index.html").write_bytes(b"<script>other()</script>")
    return tmp_path


def _client(pages: Path, embeds: tuple[str, ...] = ()) -> TestClient:
    middleware = SecurityHeaders(_app(), pages_dir=pages, lookup_embed_origins=lambda h, s: embeds)
    return TestClient(middleware)


def _policy(answer) -> dict[str, str]:
    parts = [p.split() for p in answer.headers["content-security-policy"].split(";")]
    return {p[0]: " ".join(p[1:]) for p in parts if p}


def test_inline_scripts_of_the_build_are_hashed_and_external_ones_are_not(pages: Path) -> None:
    hashes = inline_script_hashes(pages)
    assert set(hashes) == {_sha(b"window.a = 1;"), _sha(b"import '/y.js';"), _sha(b"other()")}


def test_a_page_gets_a_csp_without_unsafe_inline_and_no_framing(pages: Path) -> None:
    answer = _client(pages).get("/t/alpha/login")
    policy = _policy(answer)
    assert policy["script-src"].startswith("'self' 'unsafe-eval' 'sha256-")
    assert _sha(b"other()") in policy["script-src"]
    assert "unsafe-inline" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "display-capture=(self)" in answer.headers["permissions-policy"]
    assert "strict-transport-security" not in answer.headers


def test_a_tenant_that_allows_embedding_gets_its_origins_as_frame_ancestors(pages: Path) -> None:
    answer = _client(pages, ("https://www.bank.example",)).get("/t/alpha/login")
    assert _policy(answer)["frame-ancestors"] == "https://www.bank.example"
    assert "x-frame-options" not in answer.headers


def test_other_responses_get_a_policy_that_runs_nothing(pages: Path) -> None:
    answer = _client(pages).get("/data")
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_routes_own_policy_wins(pages: Path) -> None:
    answer = _client(pages).get("/image")
    assert answer.headers["content-security-policy"] == "default-src 'none'; sandbox"


def test_a_revalidated_page_keeps_the_policy_it_was_cached_with(pages: Path) -> None:
    answer = _client(pages).get("/cached")
    assert answer.status_code == 304
    assert "content-security-policy" not in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "query", "secret"),
    [
        ("/t/alpha/password/reset", "token=abc", True),
        ("/password/reset", "", True),
        ("/t/alpha/activate", "token=abc", True),
        ("/t/alpha/meeting/room-1", "k=abc", True),
        ("/api/session/start", "code=abc", True),
        ("/t/alpha/login", "next=%2Fhome", False),
        ("/t/alpha/meetings", "", False),
    ],
)
def test_pages_whose_address_holds_a_secret_send_no_referrer(
    pages: Path, path: str, query: str, secret: bool
) -> None:
    assert carries_secret(path, query) is secret
    answer = _client(pages).get(f"{path}?{query}")
    expected = "no-referrer" if secret else "strict-origin-when-cross-origin"
    assert answer.headers["referrer-policy"] == expected


def test_scripts_may_connect_to_the_app_and_every_media_node_over_http_and_websockets() -> None:
    settings = Settings(
        public_url="https://consilio.example",
        media_origins="https://media-1.example.com, https://*.media.example.com",
    )
    assert connect_sources(settings) == (
        "'self'",
        "https://consilio.example",
        "wss://consilio.example",
        "https://media-1.example.com",
        "wss://media-1.example.com",
        "https://*.media.example.com",
        "wss://*.media.example.com",
    )
    default = Settings(public_url="http://localhost:3000", media_public_url="http://node:8443/x")
    assert connect_sources(default)[-2:] == ("http://node:8443", "ws://node:8443")


def test_https_deployments_send_hsts(pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSILIO_PUBLIC_URL", "https://consilio.example")
    get_settings.cache_clear()
    try:
        answer = _client(pages).get("/data")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
