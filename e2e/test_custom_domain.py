"""A tenant on its own domain: pages, the event socket and the session cookie all live on
that host (the cookie is HttpOnly and SameSite=Strict, so a socket opened on the platform's
host would never carry it)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Browser, expect

from app import routes
from app.services.demo import DEMO_PASSWORD
from e2e.conftest import DESKTOP
from e2e.seed_extra import BANK_ADVISOR, CUSTOM_DOMAIN


def test_staff_sign_in_and_stay_signed_in_on_their_tenants_own_domain(
    browser: Browser, app_url: str
) -> None:
    port = urlsplit(app_url).port
    context = browser.new_context(
        viewport=DESKTOP, base_url=f"http://{CUSTOM_DOMAIN}:{port}", locale="de-DE"
    )
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.goto(routes.LOGIN)  # the tenant comes from the host: no /t/{slug}
        expect(page.locator("header")).to_contain_text("Bank am See")
        page.locator("#field-email").fill(BANK_ADVISOR)
        page.locator("#field-password").fill(DEMO_PASSWORD)
        page.locator("#login-submit").click()
        expect(page).to_have_url(re.compile(rf"{CUSTOM_DOMAIN}:{port}/advisor/?$"))
        page.goto(routes.ACCOUNT)  # a full page load: a new socket, the cookie again
        expect(page.locator("#field-display_name")).to_have_value("Bea Berater")
        assert sockets and all(urlsplit(url).hostname == CUSTOM_DOMAIN for url in sockets)
        domains = {c["domain"] for c in context.cookies() if c["name"] == "consilio_session"}
        assert domains == {CUSTOM_DOMAIN}
    finally:
        context.close()
