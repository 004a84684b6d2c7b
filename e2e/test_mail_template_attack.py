"""A tenant admin's costly mail template does not stall the web backend (issue 9, item 5).

Before: a preview of ``{{ 9**(9**7) }}`` blocked the backend for 8 s (every tenant's pages
stalled) and nested ``range(100000)`` loops hung it until killed. Here the admin page is
driven over the Reflex websocket (no browser needed) while ``/ping`` is polled: it keeps
answering within 200 ms, and the admin reads "template too expensive" (in German, the demo
tenant's language).
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from app.i18n import translate
from app.services.demo import DEMO_PASSWORD
from loadtests.reflex_client import ReflexClient, state_name
from tests.app_server import running_app

PARAMS = {"tenant": "demo"}
LOGIN_STATE = state_name("login", "LoginState")
MAIL_STATE = state_name("admin_mail", "AdminMailState")
ATTACKS = (
    "{{ 9**(9**7) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    '{% for a in "x" * 100000 %}{% for b in "y" * 100000 %}{% endfor %}{% endfor %}',
)


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    with running_app(
        extra_env={"CONSILIO_ARGON2_MEMORY_KIB": "8192", "CONSILIO_ENVIRONMENT": "dev"}
    ) as app:
        yield app.url


def _admin_on_mail_page(url: str) -> ReflexClient:
    tab = ReflexClient(url, timeout=60)
    tab.connect()
    tab.load_page("/t/demo/login", PARAMS)
    tab.submit(
        f"{LOGIN_STATE}.submit",
        {"email": "admin@alpina.example", "password": DEMO_PASSWORD},
        PARAMS,
        LOGIN_STATE,
    )
    tab.load_page("/t/demo/admin/mail", PARAMS)
    return tab


def _ping_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"{url}/ping", timeout=10) as response:  # noqa: S310 (loopback)
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def test_ping_answers_while_an_admin_previews_an_expensive_template(app_url: str) -> None:
    tab = _admin_on_mail_page(app_url)
    idle = [_ping_ms(app_url) for _ in range(20)]
    errors: list[str] = []
    during: list[float] = []
    try:
        for attack in ATTACKS:
            tab.call(f"{MAIL_STATE}.edit_draft", {"part": "body_html", "value": attack}, PARAMS)
            done = threading.Event()

            def preview(done: threading.Event) -> None:
                delta = tab.call(f"{MAIL_STATE}.preview", {}, PARAMS)
                errors.append(str(delta.get(MAIL_STATE, {}).get("error_rx_state_", "")))
                done.set()

            started = time.monotonic()
            threading.Thread(target=preview, args=(done,), daemon=True).start()
            while not done.is_set() and time.monotonic() - started < 30:
                during.append(_ping_ms(app_url))
                time.sleep(0.02)
            assert done.is_set(), f"no answer to the preview of {attack!r}"
    finally:
        tab.close()
    print(
        f"\n/ping idle p50 {statistics.median(idle):.1f} ms; during {len(during)} pings "
        f"p50 {statistics.median(during):.1f} ms, max {max(during):.1f} ms"
    )
    assert errors == [translate("de", "error.template_too_expensive")] * len(ATTACKS)
    assert max(during) < 200
