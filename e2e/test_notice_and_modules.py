"""Only what exists is offered: modules that are built, and meetings only with a privacy
notice guests can read (the tenant's own, or the platform's default one it adopted)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from app import routes
from app.i18n import translate
from app.services.privacy_notice import PLATFORM_NOTICE
from e2e.conftest import fresh_tab, section_screenshots, sign_in
from e2e.dead_end_shots import phone_and_laptop
from e2e.seed_dead_ends import (
    NO_NOTICE_ADMIN,
    NO_NOTICE_LINK,
    NO_NOTICE_NAME,
    NO_NOTICE_ROOM,
    NO_NOTICE_SLUG,
)

GUEST_LINK = f"/t/{NO_NOTICE_SLUG}{routes.meeting(NO_NOTICE_ROOM)}?k={NO_NOTICE_LINK}"


def test_the_landing_page_advertises_only_built_modules(page: Page) -> None:
    page.goto("/t/demo")
    services = page.locator("#landing-services")
    expect(services).to_contain_text(translate("de", "module.meetings"))
    for unbuilt in ("booking", "recording", "portal"):
        expect(services).not_to_contain_text(translate("de", f"module.{unbuilt}"))


def test_the_settings_page_offers_no_switch_for_a_module_that_is_not_built(page: Page) -> None:
    sign_in(page, "admin@alpina.example")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    page.goto(f"/t/demo{routes.ADMIN_BRANDING}")
    expect(page.get_by_role("checkbox", name=translate("de", "module.meetings"))).to_be_visible()
    for unbuilt in ("booking", "recording", "whiteboard", "cobrowse", "esignature", "portal"):
        label = translate("de", f"module.{unbuilt}")
        expect(page.get_by_role("checkbox", name=label)).to_have_count(0)


def test_guests_enter_a_tenant_without_notice_only_once_it_adopts_the_default_notice(
    browser: Browser, app_url: str
) -> None:
    with fresh_tab(browser, app_url, "de-DE") as guest:
        guest.goto(GUEST_LINK)
        expect(guest.locator("#meeting-closed")).to_have_text(
            translate("de", "meeting.no_privacy_notice")
        )
        expect(guest.locator("#meeting-consent")).to_have_count(0)

        with fresh_tab(browser, app_url, "de-DE") as admin:
            sign_in(admin, NO_NOTICE_ADMIN, tenant=NO_NOTICE_SLUG)
            expect(admin).to_have_url(re.compile(r"/admin/users$"))
            admin.goto(f"/t/{NO_NOTICE_SLUG}{routes.ADMIN_BRANDING}")
            expect(admin.locator("#meeting-no-notice")).to_have_text(
                translate("de", "meeting_settings.no_notice")
            )
            admin.locator("#meeting-no-notice").scroll_into_view_if_needed()
            section_screenshots(admin, "#meeting-no-notice >> xpath=../..", "admin-guest-notice")
            admin.locator("#meeting-default-notice").click()
            admin.locator("#meeting-settings-save").click()
            expect(admin.get_by_text(translate("de", "meeting_settings.saved"))).to_be_visible()
            expect(admin.locator("#meeting-no-notice")).to_have_count(0)

        guest.goto(GUEST_LINK)
        notice = guest.locator("#meeting-privacy-notice")
        expect(notice).to_have_attribute("href", f"/t/{NO_NOTICE_SLUG}{routes.PRIVACY_NOTICE}")
        with guest.context.expect_page() as opened:
            notice.click()
        text = opened.value
        expect(text.locator("#privacy-notice")).to_have_text(
            translate("de", "privacy_notice.title")
        )
        expect(text.locator("#privacy-controller")).to_have_text(NO_NOTICE_NAME)
        expect(text.get_by_text(PLATFORM_NOTICE)).to_be_visible()
        expect(text.locator("#privacy-not-adopted")).to_have_count(0)
        footer_link = text.locator("footer").get_by_role(
            "link", name=translate("de", "footer.privacy")
        )
        expect(footer_link).to_have_attribute("href", f"/t/{NO_NOTICE_SLUG}{routes.PRIVACY_NOTICE}")
        phone_and_laptop(text, "privacy-notice")
        text.close()

        guest.locator("#meeting-name").fill("Gabi Gast")
        guest.locator("#meeting-join").click()
        expect(guest.get_by_text(translate("de", "meeting.consent_required"))).to_be_visible()
        guest.locator("#meeting-consent").click()
        guest.locator("#meeting-join").click()
        expect(guest.locator("#meeting-lobby")).to_be_visible()  # entered: the tenant's lobby
        expect(guest).to_have_url(re.compile(re.escape(NO_NOTICE_ROOM)))
