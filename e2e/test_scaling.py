"""Production layout: two web backends share PostgreSQL and Redis behind a load balancer.

A browser tab's Reflex state lives in Redis, so whichever backend its websocket lands on
next continues where the last one stopped; the session is in PostgreSQL, so a sign-in on one
backend is valid on the other. The tab is driven by the same client the load test uses.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator

import pytest
import redis

from app.services.demo import DEMO_PASSWORD
from loadtests.reflex_client import ReflexClient, state_name
from tests.app_server import ROOT, RunningApp, own_web_dir, running_app, wait_until_up
from tests.servers import free_port, postgres_server, redis_server

PARAMS = {"tenant": "demo"}
LOGIN_STATE = state_name("login", "LoginState")
SESSION_STATE = state_name("session", "SessionState")
TENANT_STATE = state_name("tenant", "TenantState")


@contextlib.contextmanager
def _second_backend(app: RunningApp) -> Iterator[str]:
    """Another web backend, started as on every web node (`reflex run --env prod`)."""
    port = free_port()
    log = app.workdir / "backend-b.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env={
                **app.env,
                **own_web_dir(ROOT, app.workdir / "backend-b"),
                "CONSILIO_PORT": str(port),
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/t/demo/login", proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def backends() -> Iterator[tuple[str, str, str]]:
    """(backend A, backend B, Redis URL) on one PostgreSQL and one Redis."""
    with postgres_server() as database_url, redis_server() as redis_url:
        shared = {
            "CONSILIO_DATABASE_URL": database_url,
            "CONSILIO_REDIS_URL": redis_url,
            "CONSILIO_ARGON2_MEMORY_KIB": "8192",
            "CONSILIO_ENVIRONMENT": "production",  # a real random key (running_app makes one)
        }
        with running_app(extra_env=shared) as app, _second_backend(app) as b:
            yield app.url, b, redis_url


def _tab_on(base: str, old: ReflexClient) -> ReflexClient:
    """The same browser tab (client token and cookies) reconnecting to ``base``."""
    tab = ReflexClient(base)
    tab.token, tab.cookies, tab.http_cookies = old.token, dict(old.cookies), dict(old.http_cookies)
    tab.connect()
    return tab


def _login_on(base: str, password: str) -> ReflexClient:
    """A new tab on ``base`` that submitted Anna's login form with ``password`` (then closed)."""
    tab = ReflexClient(base)
    tab.connect()
    tab.load_page("/t/demo/login", PARAMS)
    tab.submit(
        f"{LOGIN_STATE}.submit",
        {"email": "anna.berger@alpina.example", "password": password},
        PARAMS,
        LOGIN_STATE,
    )
    tab.close()
    return tab


def test_tab_state_follows_the_tab_to_another_backend(backends: tuple[str, str, str]) -> None:
    a, b, redis_url = backends
    tab = _login_on(a, "wrong password")
    assert tab.last_delta[LOGIN_STATE]["error_rx_state_"]

    assert any(tab.token in key.decode() for key in redis.from_url(redis_url).keys("*"))
    moved = _tab_on(b, tab)
    try:
        delta = moved.load_page("/t/demo/login", PARAMS)
    finally:
        moved.close()
    # Backend B never saw this tab; what the user typed came to it from Redis.
    assert delta[LOGIN_STATE]["email_rx_state_"] == "anna.berger@alpina.example"


def test_sign_in_on_one_backend_is_valid_on_the_other(backends: tuple[str, str, str]) -> None:
    a, b, _ = backends
    tab = _login_on(a, DEMO_PASSWORD)
    assert tab.last_redirect == "/t/demo/advisor"

    other = _tab_on(b, tab)
    try:
        delta = other.load_page("/t/demo/advisor", PARAMS)
    finally:
        other.close()
    assert delta[SESSION_STATE]["page_access_rx_state_"] == "granted"
    assert delta[TENANT_STATE]["name_rx_state_"] == "Alpina Versicherung"
