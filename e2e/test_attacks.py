"""Attacks a review confirmed on a running instance, replayed over the real event socket
and HTTP the way a script would (no browser needed to misbehave)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from app.services.demo import DEMO_PASSWORD
from loadtests.reflex_client import ReflexClient, ReflexTimeout, state_name

PARAMS = {"tenant": "demo"}
TENANT_STATE = state_name("tenant", "TenantState")
SESSION_STATE = state_name("session", "SessionState")
LOGIN_STATE = state_name("login", "LoginState")
USERS_STATE = state_name("admin_users", "AdminUsersState")


@pytest.fixture
def tab(app_url: str) -> Iterator[ReflexClient]:
    client = ReflexClient(app_url, timeout=15)
    client.connect()
    yield client
    client.close()


def _try(tab: ReflexClient, handler: str, payload: dict[str, object]) -> dict[str, object]:
    """Send a call a browser could send; a handler that does not exist may never answer."""
    tab.timeout = 5
    with contextlib.suppress(ReflexTimeout):
        return tab.call(handler, payload, PARAMS)
    return {}


def test_an_anonymous_socket_cannot_switch_the_page_to_another_tenant(tab: ReflexClient) -> None:
    tab.load_page("/t/demo/login", PARAMS)
    forged = {"tenant_id": 1, "slug": "platform", "name": "Consilio Platform", "languages": []}
    _try(tab, f"{TENANT_STATE}.apply", {"brand": forged})
    _try(tab, f"{TENANT_STATE}.resolve", {})
    tab.timeout = 15
    delta = tab.navigate("/t/demo/login", PARAMS)
    assert delta[TENANT_STATE]["name_rx_state_"] == "Alpina Versicherung"


def test_an_anonymous_socket_cannot_use_an_admin_handler(tab: ReflexClient) -> None:
    tab.load_page("/t/demo/admin/users", PARAMS)
    form = {"email": "mallory@evil.example", "display_name": "M", "role": "admin"}
    delta = tab.submit(f"{USERS_STATE}.invite", form, PARAMS, USERS_STATE)
    assert delta[USERS_STATE]["error_rx_state_"]  # "please sign in"
    assert (
        "notice_rx_state_" not in delta[USERS_STATE] or not delta[USERS_STATE]["notice_rx_state_"]
    )


def test_the_session_cookie_comes_only_from_the_server_and_is_http_only(
    tab: ReflexClient,
) -> None:
    tab.load_page("/t/demo/login", PARAMS)
    form = {"email": "anna.berger@alpina.example", "password": DEMO_PASSWORD}
    delta = tab.submit(f"{LOGIN_STATE}.submit", form, PARAMS, LOGIN_STATE)
    # Nothing in the state the browser receives carries the session.
    assert "token" not in str(delta.get(SESSION_STATE, {}))
    assert tab.last_redirect == "/t/demo/advisor"
    assert "consilio_session" in tab.http_cookies
    delta = tab.load_page("/t/demo/advisor", PARAMS)
    assert delta[SESSION_STATE]["page_access_rx_state_"] == "granted"
