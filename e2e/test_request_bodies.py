"""Huge request bodies are refused before the server reads or spools them (issue 9, item 7).

Each attack sends 300 MB to the running app; the server must answer 413 (or refuse a stranger)
after taking at most a few MB, while its memory and temporary files stay flat.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from e2e import oversized
from e2e.conftest import sign_in
from state.admin_branding import BrandingState

HUGE = 300 * oversized.MB
# What may reach the server before it answers: socket buffers on both sides plus one limit.
TAKEN_AT_MOST = 8 * oversized.MB
LOGO_HANDLER = f"{BrandingState.get_full_name()}.upload_logo"


def _upload_headers(cookie: str = "", tab: str = "") -> dict[str, str]:
    _head, _tail, content_type = oversized.multipart_parts("big.png", 0)
    headers = {
        "Content-Type": content_type,
        "Reflex-Client-Token": tab or str(uuid.uuid4()),
        "Reflex-Event-Handler": LOGO_HANDLER,
    }
    if cookie:
        headers["Cookie"] = cookie
    return headers


def _attack(
    app_url: str,
    path: str,
    *,
    chunked: bool,
    cookie: str = "",
    tab: str = "",
    multipart: bool = True,
):
    head, tail, _ = oversized.multipart_parts("big.png", HUGE) if multipart else (b"", b"", "")
    headers = _upload_headers(cookie, tab) if multipart else {"Content-Type": "text/plain"}
    with oversized.watched(app_url) as usage:
        outcome = oversized.post(
            app_url, path, size=HUGE, headers=headers, head=head, tail=tail, chunked=chunked
        )
    print(f"{path} chunked={chunked}: {outcome} {usage.summary()}")
    return outcome, usage


def _assert_flat(outcome: oversized.Outcome, usage: oversized.Usage) -> None:
    assert outcome.sent < TAKEN_AT_MOST, f"the server took {outcome.sent} bytes first"
    assert outcome.seconds < 10
    assert usage.rss_peak - usage.rss_before < 40 * oversized.MB, usage.summary()
    assert usage.temp_peak < 4 * oversized.MB, usage.summary()


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_300_mb_upload_with_a_made_up_client_is_refused_before_it_is_spooled(
    app_url: str, chunked: bool
) -> None:
    outcome, usage = _attack(app_url, "/_upload", chunked=chunked)
    assert outcome.status in (401, 403, 413)
    _assert_flat(outcome, usage)


def test_300_mb_upload_by_a_signed_in_admin_is_cut_off_at_the_logo_limit(
    page: Page, app_url: str
) -> None:
    sign_in(page, "admin@alpina.example")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    tab = page.evaluate("window.sessionStorage.getItem('token')")  # the admin's own tab
    outcome, usage = _attack(app_url, "/_upload", chunked=True, cookie=cookie, tab=tab)
    assert outcome.status == 413
    _assert_flat(outcome, usage)


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_300_mb_media_report_is_refused_unread(app_url: str, chunked: bool) -> None:
    outcome, usage = _attack(app_url, "/api/media/events", chunked=chunked, multipart=False)
    assert outcome.status == 413
    _assert_flat(outcome, usage)
