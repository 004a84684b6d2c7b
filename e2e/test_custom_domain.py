"""A tenant on its own domain: pages, the event socket and the session cookie all live on
that host (the cookie is HttpOnly and SameSite=Strict, so a socket opened on the platform's
host would never carry it)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect, sync_playwright

from app import routes
from app.services.demo import DEMO_PASSWORD
from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from e2e.seed_extra import CUSTOM_DOMAIN


def test_staff_sign_in_and_stay_signed_in_on_their_tenants_own_domain(app_url: str) -> None:
    port = urlsplit(app_url).port
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {CUSTOM_DOMAIN} 127.0.0.1"],
        )
        try:
            context = browser.new_context(
                viewport=DESKTOP, base_url=f"http://{CUSTOM_DOMAIN}:{port}", locale="de-DE"
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            sockets: list[str] = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.goto(routes.LOGIN)  # the tenant comes from the host: no /t/{slug}
            expect(page.locator("header")).to_contain_text("Alpina Versicherung")
            page.locator("#field-email").fill("anna.berger@alpina.example")
            page.locator("#field-password").fill(DEMO_PASSWORD)
            page.locator("#login-submit").click()
            expect(page).to_have_url(re.compile(rf"{CUSTOM_DOMAIN}:{port}/advisor/?$"))
            page.goto(routes.ACCOUNT)  # a full page load: a new socket, the cookie again
            expect(page.locator("#field-display_name")).to_have_value("Anna Berger")
            assert sockets and all(urlsplit(url).hostname == CUSTOM_DOMAIN for url in sockets)
            cookies = context.cookies()
            assert {c["domain"] for c in cookies if c["name"] == "consilio_session"} == {
                CUSTOM_DOMAIN
            }
        finally:
            browser.close()
