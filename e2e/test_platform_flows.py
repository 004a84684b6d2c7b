"""What the platform's operator does: open a new tenant whose first admin then takes over."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import Page, expect

from app import routes
from app.i18n import translate
from e2e.conftest import screenshots, sign_in

PASSWORD = "Helvetia-Admin-2026!"


def test_new_tenant_first_admin_activates_enrols_2fa_and_manages_users(
    page: Page,
) -> None:
    sign_in(page, "super@consilio.example", tenant="platform")
    expect(page).to_have_url(re.compile(r"/t/platform/platform/tenants$"))
    page.locator("#field-slug").fill("helvetia")
    page.locator("#field-name").fill("Helvetia Vorsorge")
    page.locator("#field-admin_email").fill("chef@helvetia.example")
    page.locator("#field-admin_name").fill("Hanna Chef")
    page.locator("#tenant-create").click()
    lang = page.evaluate("document.cookie.match(/consilio_lang=(\\w+)/)?.[1] || 'en'")
    expect(
        page.get_by_text(translate(lang, "tenants.created", name="Helvetia Vorsorge"))
    ).to_be_visible()

    page.goto(f"/t/platform{routes.PLATFORM_OUTBOX}")
    row = page.locator("#outbox-table tr", has_text="chef@helvetia.example")
    expect(row).to_contain_text("helvetia")
    row.get_by_role("button").click()
    link = page.frame_locator("#opened-mail").locator("a[href*='/activate?token=']").first
    expect(link).to_be_visible()
    screenshots(page, "platform-outbox")
    href = link.get_attribute("href")
    assert href and "/t/helvetia/activate" in href

    page.goto(href)
    expect(page.get_by_role("heading", name="Hanna Chef")).to_be_visible()
    page.locator("#field-password").fill(PASSWORD)
    page.locator("#field-password_repeat").fill(PASSWORD)
    page.locator("#activate-submit").click()
    expect(page.locator("#activate-submit")).to_have_count(0)

    # A new tenant demands two-factor authentication of its admins: the first sign-in
    # leads to the account page, and only after enrolling do the admin pages open.
    sign_in(page, "chef@helvetia.example", tenant="helvetia", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/t/helvetia/account$"))
    expect(page.locator("#twofa-required")).to_be_visible()
    screenshots(page, "account-2fa-required")
    page.locator("#field-password").fill(PASSWORD)
    page.locator("#totp-start").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("#field-code").fill(pyotp.TOTP(secret).now())
    page.locator("#totp-confirm").click()
    expect(page.locator("#totp-on")).to_be_visible()
    expect(page.locator("#twofa-required")).to_have_count(0)
    page.goto(f"/t/helvetia{routes.ADMIN_USERS}")
    expect(page).to_have_url(re.compile(r"/t/helvetia/admin/users$"))
    expect(page.locator("#users-table")).to_contain_text("chef@helvetia.example")
    expect(page.locator("header")).to_contain_text("Helvetia Vorsorge")


def test_duplicate_short_name_keeps_the_form_and_the_browser_checks_the_pattern(
    page: Page,
) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, "super@consilio.example", tenant="platform")
    expect(page).to_have_url(re.compile(r"/t/platform/platform/tenants$"))
    lang = page.evaluate("document.cookie.match(/consilio_lang=(\\w+)/)?.[1] || 'en'")
    slug = page.locator("#field-slug")

    # The pattern compiles in Chromium (it uses the v flag) and the browser applies it.
    slug.fill("Nicht gültig!")
    assert page.evaluate("document.getElementById('field-slug').validity.patternMismatch")
    slug.fill("zweite-bank-2")
    assert not page.evaluate("document.getElementById('field-slug').validity.patternMismatch")

    slug.fill("demo")  # taken
    page.locator("#field-name").fill("Zweite Alpina")
    page.locator("#field-admin_email").fill("chefin@zweite.example")
    page.locator("#field-admin_name").fill("Zoe Zweite")
    page.locator("#tenant-create").click()
    expect(page.get_by_role("alert")).to_contain_text(
        translate(lang, "error.slug_taken", slug="demo")
    )
    expect(slug).to_have_value("demo")
    expect(page.locator("#field-name")).to_have_value("Zweite Alpina")
    expect(page.locator("#field-admin_email")).to_have_value("chefin@zweite.example")
    expect(page.locator("#field-admin_name")).to_have_value("Zoe Zweite")
    pattern_errors = [text for text in console if "pattern" in text.lower()]
    assert not pattern_errors, pattern_errors


def test_suspending_a_tenant_asks_first_and_cancel_changes_nothing(page: Page) -> None:
    sign_in(page, "super@consilio.example", tenant="platform")
    expect(page).to_have_url(re.compile(r"/t/platform/platform/tenants$"))
    lang = page.evaluate("document.cookie.match(/consilio_lang=(\\w+)/)?.[1] || 'en'")
    row = page.locator("#tenants-table tr", has_text="Bank am See")
    expect(row).to_contain_text(translate(lang, "tenants.active"))
    trigger = row.get_by_role("button", name=translate(lang, "tenants.suspend"))
    trigger.click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(translate(lang, "tenants.suspend_question", name="Bank am See"))
    expect(dialog).to_contain_text(translate(lang, "tenants.suspend_consequence"))
    screenshots(page, "platform-tenants-suspend-confirm")
    dialog.get_by_role("button", name=translate(lang, "common.cancel")).click()
    expect(dialog).to_have_count(0)
    expect(trigger).to_be_focused()
    page.reload()
    expect(row).to_contain_text(translate(lang, "tenants.active"))
    # The bank's own pages still answer (nothing was suspended).
    visitor = page.context.new_page()
    visitor.goto("/t/bank/login")
    expect(visitor.locator("#field-email")).to_be_visible()
    visitor.close()
