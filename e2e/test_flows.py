"""The browser flows a newcomer checks first: sign in per role, language, 2FA, sign out."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from app import routes
from app.i18n import translate
from app.services.demo import DEMO_PASSWORD
from e2e.conftest import screenshots, sign_in

ROLE_CASES = [
    ("platform", "super@consilio.example", routes.PLATFORM_TENANTS, "en", "nav.tenants"),
    ("demo", "admin@alpina.example", routes.ADMIN_USERS, "de", "nav.users"),
    ("demo", "anna.berger@alpina.example", routes.ADVISOR, "de", "nav.dashboard"),
    ("demo", "max.muster@example.com", routes.CUSTOMER, "de", "nav.home"),
]


@pytest.mark.parametrize(
    ("tenant", "email", "home", "lang", "nav_key"),
    ROLE_CASES,
    ids=["super_admin", "admin", "advisor", "customer"],
)
def test_each_demo_role_lands_on_its_start_page_with_its_navigation_in_its_language(
    page: Page, tenant: str, email: str, home: str, lang: str, nav_key: str
) -> None:
    sign_in(page, email, tenant)
    expect(page).to_have_url(re.compile(re.escape(f"/t/{tenant}{home}") + "$"))
    nav_link = page.locator("header").get_by_role("link", name=translate(lang, nav_key), exact=True)
    expect(nav_link.first).to_be_visible()
    screenshots(page, f"home-{email.split('@')[0]}")


def test_wrong_password_shows_a_message_in_the_visitors_language(page: Page) -> None:
    sign_in(page, "admin@alpina.example", password="not the password")
    expect(page.get_by_role("alert")).to_contain_text(translate("de", "error.login_failed"))
    expect(page).to_have_url(re.compile(r"/t/demo/login"))
    screenshots(page, "login-error")


def test_language_switch_changes_texts_without_reloading_the_page(page: Page) -> None:
    page.goto("/t/demo/login")
    expect(page.get_by_role("heading", name=translate("de", "login.title"))).to_be_visible()
    page.evaluate("window.__noReload = true")
    for lang in ("fr", "it", "es", "en"):
        page.locator("header button[role=combobox]").first.click()
        page.get_by_role("option", name=lang.upper(), exact=True).click()
        expect(page.locator("label[for=field-email]")).to_have_text(translate(lang, "common.email"))
    assert page.evaluate("window.__noReload") is True
    screenshots(page, "login-english")


def test_customer_gets_the_no_access_view_on_an_admin_page(page: Page) -> None:
    sign_in(page, "max.muster@example.com")
    expect(page).to_have_url(re.compile(r"/customer$"))
    page.goto(f"/t/demo{routes.ADMIN_USERS}")
    expect(page.locator("#forbidden")).to_have_text(translate("de", "forbidden.title"))
    expect(page.locator("#users-table")).to_have_count(0)
    screenshots(page, "forbidden")


def test_signed_out_visitor_is_sent_to_login_and_back_after_signing_in(page: Page) -> None:
    page.goto(f"/t/demo{routes.ADMIN_AUDIT}")
    expect(page).to_have_url(re.compile(r"/t/demo/login\?next="))
    page.locator("#field-email").fill("admin@alpina.example")
    page.locator("#field-password").fill(DEMO_PASSWORD)
    page.locator("#login-submit").click()
    expect(page).to_have_url(re.compile(r"/t/demo/admin/audit$"))
    page.locator("#audit-verify").click()
    expect(page.locator("#audit-verdict")).to_contain_text(re.compile(r"\d+"))


def test_advisor_enrols_2fa_then_needs_a_code_and_logout_ends_the_session(page: Page) -> None:
    sign_in(page, "tfa.advisor@alpina.example")
    expect(page).to_have_url(re.compile(r"/advisor$"))
    page.goto(f"/t/demo{routes.ACCOUNT}")
    page.locator("#field-password").fill(DEMO_PASSWORD)
    page.locator("#totp-start").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    expect(page.locator("#totp-qr")).to_be_visible()
    screenshots(page, "account-2fa-enrol")
    page.locator("#field-code").fill(pyotp.TOTP(secret).now())
    page.locator("#totp-confirm").click()
    expect(page.locator("#totp-on")).to_be_visible()
    expect(page.locator("#recovery-codes code")).to_have_count(10)

    page.locator("header").get_by_role("button", name="Tom Faktor").click()
    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/t/demo/login(\?.*)?$"))
    page.goto(f"/t/demo{routes.ACCOUNT}")
    expect(page).to_have_url(re.compile(r"/t/demo/login"))

    sign_in(page, "tfa.advisor@alpina.example")
    expect(page).to_have_url(re.compile(r"/login/code"))
    page.locator("#field-code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.locator("#code-submit").click()
    expect(page).to_have_url(re.compile(r"/advisor$"))
