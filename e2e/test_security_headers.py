"""Every response carries the security headers, the built pages pass their own CSP in
Chromium, and page scripts cannot read the session cookie (issue 9, item 6)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from app import routes
from app.i18n import translate
from app.services.sessions import COOKIE_NAME
from e2e.conftest import screenshots, sign_in
from e2e.csp import csp_watch


def _fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _page_policy(headers) -> dict[str, str]:
    policy = headers["Content-Security-Policy"]
    assert policy, "no CSP"
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()
    }


def _assert_common(headers) -> None:
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"].startswith("camera=(self), microphone=(self)")
    assert headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "no-referrer")
    assert "Strict-Transport-Security" not in headers  # http here; only https gets HSTS


@pytest.fixture(scope="module")
def built_assets(app_url: str) -> tuple[str, str]:
    """One JavaScript and one stylesheet address of the built frontend."""
    _status, _headers, body = _fetch(f"{app_url}/login")
    script = re.search(rb'src="(/assets/[^"]+\.js)"|href="(/assets/[^"]+\.js)"', body)
    style = re.search(rb'href="(/assets/[^"]+\.css)"', body)
    assert script and style
    return (script.group(1) or script.group(2)).decode(), style.group(1).decode()


@pytest.mark.parametrize(
    "path",
    [
        routes.LOGIN,  # prerendered page
        f"/t/demo{routes.LOGIN}",  # page served from the SPA fallback
        f"/t/demo{routes.ADMIN_USERS}",
        f"/t/demo{routes.TEST_CENTER}",
        f"/t/demo{routes.meeting('no-such-room')}?k=secret",
        f"/t/demo{routes.RESET_PASSWORD}?token=secret",
        "/no/such/page",
    ],
)
def test_every_page_answers_with_a_strict_csp_and_no_framing(app_url: str, path: str) -> None:
    _status, headers, body = _fetch(app_url + path)
    assert headers["Content-Type"].startswith("text/html")
    _assert_common(headers)
    policy = _page_policy(headers)
    assert policy["frame-ancestors"] == "'none'"
    assert headers["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert "'sha256-" in policy["script-src"]
    assert policy["img-src"] == "'self' data:"
    secret = "k=" in path or "token=" in path
    assert headers["Referrer-Policy"] == (
        "no-referrer" if secret else "strict-origin-when-cross-origin"
    )
    assert b"<script" in body


def test_static_files_api_upload_and_health_answer_with_the_headers(
    app_url: str, built_assets: tuple[str, str]
) -> None:
    script, style = built_assets
    responses = {
        "js": _fetch(app_url + script),
        "css": _fetch(app_url + style),
        "app asset": _fetch(app_url + "/meeting.js"),
        "health": _fetch(app_url + "/api/health"),
        "ping": _fetch(app_url + "/ping"),
        "openapi": _fetch(app_url + "/api/openapi.json"),
        "upload": _fetch(app_url + "/_upload", method="POST"),
        "brand": _fetch(app_url + "/api/brand/demo/logo"),
        "media events": _fetch(app_url + "/api/media/events", method="POST"),
    }
    for name, (status, headers, _body) in responses.items():
        _assert_common(headers)
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["Content-Security-Policy"], name
        if name in ("js", "css", "app asset", "health", "ping", "openapi"):
            assert status == 200, name
    # A route's own stricter policy wins (a tenant's image is never run as a document).
    assert responses["brand"][1]["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert responses["upload"][0] == 403


ADMIN_PAGES = [
    routes.ADMIN_USERS,
    routes.ADMIN_TEAMS,
    routes.ADMIN_BRANDING,
    routes.ADMIN_MAIL,
    routes.ADMIN_AUDIT,
    routes.ADMIN_JOBS,
    routes.ACCOUNT,
]


def test_signed_in_admin_tour_and_test_center_raise_no_csp_violation_and_hide_the_session(
    page: Page,
) -> None:
    with csp_watch(page) as violations:
        sign_in(page, "admin@alpina.example")
        expect(page).to_have_url(re.compile(r"/admin/users$"))
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert cookies[COOKIE_NAME]["httpOnly"] is True
        assert COOKIE_NAME not in page.evaluate("document.cookie")
        for route in ADMIN_PAGES:
            page.goto(f"/t/demo{route}")
            expect(page.locator("main h1, main h2").first).to_be_visible()
            expect(page.locator("#forbidden")).to_have_count(0)  # the session still works
            page.wait_for_timeout(300)
        page.goto(f"/t/demo{routes.ADMIN_MAIL}")
        opened = page.locator("#outbox-table tr button, #outbox-table tr [role=button]")
        if opened.count():
            opened.first.click()
            expect(page.locator("#opened-mail")).to_be_visible()
        page.goto(f"/t/demo{routes.TEST_CENTER}")
        expect(page.locator("main h1, main h2").first).to_be_visible()
        # No camera and no media node here: the checks fail, but their scripts all run.
        page.locator("#test-center-start").click()
        expect(page.locator("li.test-line[data-check='browser']")).to_have_attribute(
            "data-status", "pass"
        )
        page.wait_for_timeout(3000)
        assert COOKIE_NAME not in page.evaluate("document.cookie")
        screenshots(page, "test-center-under-csp")
    assert not violations, "\n".join(violations)


def test_tenant_admin_lets_one_https_site_embed_the_pages(page: Page, app_url: str) -> None:
    sign_in(page, "admin@alpina.example")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    page.goto(f"/t/demo{routes.ADMIN_BRANDING}")
    field = page.locator("#field-embed_origins")
    try:
        field.fill("http://plain.example")
        page.locator("#branding-save").click()
        expect(page.get_by_role("alert")).to_contain_text(
            translate("de", "error.embed_origin_invalid", origin="http://plain.example")
        )
        field.fill("https://www.bank.example")
        page.locator("#branding-save").click()
        expect(page.get_by_text(translate("de", "branding.saved"))).to_be_visible()
        # A host name the header cache has not seen yet, so the new setting shows at once.
        port = urlsplit(app_url).port
        _status, headers, _body = _fetch(
            f"{app_url}/t/demo{routes.LOGIN}", headers={"Host": f"localhost:{port}"}
        )
        assert _page_policy(headers)["frame-ancestors"] == "https://www.bank.example"
        assert "X-Frame-Options" not in headers
    finally:
        page.goto(f"/t/demo{routes.ADMIN_BRANDING}")
        page.locator("#field-embed_origins").fill("")
        page.locator("#branding-save").click()
        expect(page.get_by_text(translate("de", "branding.saved"))).to_be_visible()
