"""What a tenant admin does in the browser: invite someone who then activates their account,
import advisors from a CSV with a bad row, and change the tenant's colours."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from app import routes
from app.i18n import translate
from e2e.conftest import fresh_tab, screenshots, sign_in

NEW_PASSWORD = "Nina-Neu-Passwort-2026"


@pytest.fixture
def admin(page: Page) -> Page:
    """The demo tenant's admin, signed in (German browser)."""
    sign_in(page, "admin@alpina.example")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    return page


@pytest.fixture
def english_visitor(browser: Browser, app_url: str) -> Iterator[Page]:
    """Someone else's browser, in English."""
    with fresh_tab(browser, app_url, "en-GB") as tab:
        yield tab


def _activation_link_from_outbox(admin: Page, operator: Page, address: str) -> str:
    """The admin's mail log shows the invitation without its link; the platform's dev
    outbox (dev mode, super admin) holds the mail as the recipient gets it."""
    admin.goto(f"/t/demo{routes.ADMIN_MAIL}")
    row = admin.locator("#outbox-table tr", has_text=address).first
    expect(row).to_be_visible()
    row.get_by_role("button").click()
    logged = admin.frame_locator("#opened-mail")
    personal_link = translate("en", "mail.personal_link")
    expect(logged.locator(f"a[href='{personal_link}']")).to_have_count(1)
    expect(logged.locator("a[href*='token=']")).to_have_count(0)
    screenshots(admin, "admin-mail-outbox")

    sign_in(operator, "super@consilio.example", tenant="platform")
    expect(operator).to_have_url(re.compile(r"/t/platform/platform/tenants$"))
    operator.goto(f"/t/platform{routes.PLATFORM_OUTBOX}")
    operator.locator("#outbox-table tr", has_text=address).first.get_by_role("button").click()
    link = operator.frame_locator("#opened-mail").locator("a[href*='/activate?token=']").first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href
    return href


def test_invited_advisor_activates_the_account_from_the_mail_and_signs_in(
    admin: Page, english_visitor: Page, browser: Browser, app_url: str
) -> None:
    address = "nina.neu@alpina.example"
    admin.locator("#field-email").fill(address)
    admin.locator("#field-display_name").fill("Nina Neu")
    admin.locator("#field-locale").select_option("en")
    admin.locator("#invite-submit").click()
    expect(admin.get_by_text(translate("de", "users.invited", email=address))).to_be_visible()
    row = admin.locator("#users-table tr", has_text=address)
    expect(row).to_contain_text(translate("de", "status.invited"))
    screenshots(admin, "admin-users")

    with fresh_tab(browser, app_url, "en-GB") as operator:
        link = _activation_link_from_outbox(admin, operator, address)
    visitor = english_visitor
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Nina Neu")).to_be_visible()
    visitor.locator("#field-password").fill(NEW_PASSWORD)
    visitor.locator("#field-password_repeat").fill(NEW_PASSWORD + "x")
    visitor.locator("#activate-submit").click()
    expect(visitor.get_by_role("alert")).to_contain_text(translate("en", "error.passwords_differ"))
    visitor.locator("#field-password_repeat").fill(NEW_PASSWORD)
    visitor.locator("#activate-submit").click()
    expect(visitor.get_by_text(translate("en", "activate.done"))).to_be_visible()

    sign_in(visitor, address, password=NEW_PASSWORD)
    expect(visitor).to_have_url(re.compile(r"/t/demo/advisor$"))
    expect(visitor.locator("header").get_by_role("button", name="Nina Neu")).to_be_visible()

    # The link worked once; opened again it is refused with a message, and changes nothing.
    visitor.goto(link)
    expect(visitor.get_by_role("alert")).to_contain_text(translate("en", "error.link_invalid"))
    admin.goto(f"/t/demo{routes.ADMIN_USERS}")
    expect(admin.locator("#users-table tr", has_text=address)).to_contain_text(
        translate("de", "status.active")
    )


def _upload_csv(admin: Page, name: str, text: str) -> None:
    admin.locator("#advisor-csv input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    expect(admin.locator("#advisor-csv")).to_contain_text(name)
    admin.locator("#import-submit").click()


def test_csv_import_with_a_bad_row_reports_the_row_and_imports_nothing(admin: Page) -> None:
    bad = (
        "email,display_name\n"
        "carla.csv@alpina.example,Carla Csv\n"
        "not-an-address,Bruno Bad\n"
        "dora.csv@alpina.example,Dora Csv\n"
    )
    _upload_csv(admin, "advisors.csv", bad)
    report = admin.locator("#import-report")
    expect(report).to_contain_text(translate("de", "error.email_invalid", email="not-an-address"))
    expect(admin.get_by_role("alert")).to_contain_text(translate("de", "users.import_failed"))
    expect(admin.locator("#users-table tr", has_text="carla.csv@alpina.example")).to_have_count(0)
    screenshots(admin, "admin-users-import-error")

    fixed = bad.replace("not-an-address", "bruno.csv@alpina.example")
    _upload_csv(admin, "advisors-fixed.csv", fixed)
    expect(
        admin.get_by_text(translate("de", "users.import_done", created=3, skipped=0))
    ).to_be_visible()
    for address in ("carla.csv@", "bruno.csv@", "dora.csv@"):
        expect(admin.locator("#users-table tr", has_text=address)).to_contain_text(
            translate("de", "status.invited")
        )


def _header_colour(page: Page) -> str:
    return str(page.locator("header").first.evaluate("e => getComputedStyle(e).backgroundColor"))


def test_changed_colour_shows_at_once_for_the_admin_and_on_other_pages(
    admin: Page, english_visitor: Page
) -> None:
    admin.goto(f"/t/demo{routes.ADMIN_BRANDING}")
    colour = admin.locator("#field-primary_color")
    original = colour.input_value()
    screenshots(admin, "admin-branding")
    try:
        colour.fill("#7a1f5c")
        admin.locator("#branding-save").click()
        expect(admin.get_by_text(translate("de", "branding.saved"))).to_be_visible()
        assert _header_colour(admin) == "rgb(122, 31, 92)"

        english_visitor.goto("/t/demo/login")
        expect(english_visitor.locator("#field-email")).to_be_visible()
        assert _header_colour(english_visitor) == "rgb(122, 31, 92)"

        # A bad value anywhere in the form: a message, and nothing changes (not the colour either).
        colour.fill("#112233")
        admin.locator("#field-privacy_url").fill("javascript:alert(1)")
        admin.locator("#branding-save").click()
        expect(admin.get_by_role("alert")).to_contain_text(
            translate("de", "error.url_invalid", url="javascript:alert(1)")
        )
        assert _header_colour(admin) == "rgb(122, 31, 92)"
    finally:
        admin.goto(f"/t/demo{routes.ADMIN_BRANDING}")
        admin.locator("#field-primary_color").fill(original)
        admin.locator("#branding-save").click()
        expect(admin.get_by_text(translate("de", "branding.saved"))).to_be_visible()


@pytest.mark.parametrize(
    "route", [routes.ADMIN_TEAMS, routes.ADMIN_AUDIT, routes.ADMIN_JOBS, routes.ACCOUNT]
)
def test_admin_pages_open_for_the_admin(admin: Page, route: str) -> None:
    admin.goto(f"/t/demo{route}")
    expect(admin.locator("main h1, main h2").first).to_be_visible()
    expect(admin.locator("#forbidden")).to_have_count(0)
    screenshots(admin, "admin-" + route.strip("/").replace("/", "-"))


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


def test_uploaded_logo_and_favicon_show_at_once_and_a_disguised_file_is_refused(
    admin: Page, english_visitor: Page
) -> None:
    admin.goto(f"/t/demo{routes.ADMIN_BRANDING}")
    try:
        admin.locator("#logo-upload input[type=file]").set_input_files(
            {"name": "logo.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00 not a png"}
        )
        admin.locator("#logo-upload-submit").click()
        expect(admin.get_by_role("alert")).to_contain_text(translate("de", "error.image_invalid"))
        expect(admin.locator("header img")).to_have_count(0)

        admin.locator("#logo-upload input[type=file]").set_input_files(
            {"name": "logo.png", "mimeType": "image/png", "buffer": _png("#7a1f5c")}
        )
        admin.locator("#logo-upload-submit").click()
        expect(admin.get_by_text(translate("de", "branding.image_saved"))).to_be_visible()
        logo = admin.locator("header img")
        expect(logo).to_have_attribute("src", re.compile(r"^/api/brand/demo/logo\?v="))
        admin.wait_for_function(  # the new logo loaded (it arrives after its address)
            "() => { const i = document.querySelector('header img');"
            " return !!i && i.complete && i.naturalWidth === 160; }"
        )

        admin.locator("#favicon-upload input[type=file]").set_input_files(
            {"name": "icon.png", "mimeType": "image/png", "buffer": _png("#0b6e4f")}
        )
        admin.locator("#favicon-upload-submit").click()
        expect(admin.locator("head link[rel=icon]")).to_have_attribute(
            "href", re.compile(r"^/api/brand/demo/favicon\?v=")
        )
        screenshots(admin, "admin-branding-images")

        english_visitor.goto("/t/demo/login")
        expect(english_visitor.locator("header img")).to_have_attribute(
            "src", re.compile(r"/api/brand/demo/logo")
        )
    finally:
        admin.goto(f"/t/demo{routes.ADMIN_BRANDING}")
        for kind in ("logo", "favicon"):
            remove = admin.locator(f"#{kind}-upload-remove")
            if remove.count():
                remove.click()
                expect(admin.locator(f"#{kind}-upload-remove")).to_have_count(0)


def test_invitation_refused_by_the_server_keeps_what_was_typed(admin: Page) -> None:
    # The browser accepts "nina@alpina" as an address; the server does not (no domain).
    admin.locator("#field-email").fill("nina@alpina")
    admin.locator("#field-display_name").fill("Nina Tippfehler")
    admin.locator("#field-role").select_option("customer")
    admin.locator("#field-locale").select_option("it")
    admin.locator("#invite-submit").click()
    expect(admin.get_by_role("alert")).to_contain_text(
        translate("de", "error.email_invalid", email="nina@alpina")
    )
    expect(admin.locator("#field-email")).to_have_value("nina@alpina")
    expect(admin.locator("#field-display_name")).to_have_value("Nina Tippfehler")
    expect(admin.locator("#field-role")).to_have_value("customer")
    expect(admin.locator("#field-locale")).to_have_value("it")
    screenshots(admin, "admin-users-invite-refused")

    # Corrected, it goes out, and the form starts over for the next person.
    admin.locator("#field-email").fill("nina.tipp@alpina.example")
    admin.locator("#invite-submit").click()
    expect(
        admin.get_by_text(translate("de", "users.invited", email="nina.tipp@alpina.example"))
    ).to_be_visible()
    expect(admin.locator("#field-email")).to_have_value("")
    expect(admin.locator("#field-display_name")).to_have_value("")
    expect(admin.locator("#field-role")).to_have_value("advisor")
