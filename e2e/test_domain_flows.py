"""Custom domains in the browser: the tenant admin adds two, proves one with the TXT record
shown (looked up on a DNS server the tests run on loopback), and the platform's operator
refuses the other after confirming."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from app import routes
from app.i18n import translate
from e2e.conftest import fresh_tab, screenshots, section_screenshots, sign_in
from tests.dns_server import TxtZone

PROVEN = "beratung.alpina.example"
UNPROVEN = "alpina-lookalike.example"


def _add(admin: Page, host: str) -> None:
    admin.locator("#branding-domains #field-host").fill(host)
    admin.locator("#domain-add").click()
    expect(admin.locator("#branding-domains")).to_contain_text(
        translate("de", "domains.added", domain=host)
    )


def test_admin_proves_a_domain_by_dns_and_the_operator_refuses_another(
    page: Page, browser: Browser, app_url: str, dns: tuple[TxtZone, str]
) -> None:
    zone, _address = dns
    admin = page
    sign_in(admin, "admin@alpina.example")
    expect(admin).to_have_url(re.compile(r"/admin/users$"))
    admin.goto(f"/t/demo{routes.ADMIN_BRANDING}")
    section = admin.locator("#branding-domains")
    expect(section).to_contain_text(translate("de", "domains.none"))

    # the platform's own host is refused with a message
    admin.locator("#branding-domains #field-host").fill("127.0.0.1")
    admin.locator("#domain-add").click()
    expect(section.get_by_role("alert")).to_contain_text(
        translate("de", "error.domain_invalid", domain="127.0.0.1")
    )

    _add(admin, PROVEN)
    _add(admin, UNPROVEN)
    row = section.locator(".domain-row", has_text=PROVEN)
    expect(row).to_contain_text(translate("de", "domains.status_pending"))
    codes = row.locator(".domain-record code")
    kind, name, value = (codes.nth(i).inner_text() for i in range(3))
    assert kind == "TXT"
    assert name == f"_consilio-challenge.{PROVEN}"
    assert re.fullmatch(r"consilio-verify=[A-Za-z0-9_-]{32}", value)
    section_screenshots(admin, "#branding-domains", "admin-branding-domains-pending")

    row.locator(".domain-check").click()
    expect(section.get_by_role("alert")).to_contain_text(
        translate("de", "error.domain_record_missing", name=name)
    )
    zone.records[name] = [value]
    row.locator(".domain-check").click()
    expect(row).to_contain_text(translate("de", "domains.status_verified"))
    expect(row.locator(".domain-record")).to_have_count(0)
    expect(section).to_contain_text(translate("de", "domains.verified", domain=PROVEN))
    section_screenshots(admin, "#branding-domains", "admin-branding-domains")

    with fresh_tab(browser, app_url, "en-GB") as operator:
        sign_in(operator, "super@consilio.example", tenant="platform")
        expect(operator).to_have_url(re.compile(r"/platform/tenants$"))
        pending = operator.locator("#pending-domains")
        waiting = pending.locator(".pending-domain", has_text=UNPROVEN)
        expect(waiting).to_be_visible()
        expect(pending.locator(".pending-domain", has_text=PROVEN)).to_have_count(0)
        screenshots(operator, "platform-tenants-domains")
        waiting.locator(".domain-refuse").click()
        dialog = operator.get_by_role("alertdialog")
        expect(dialog).to_contain_text(UNPROVEN)
        dialog.get_by_role("button", name=translate("en", "common.cancel")).click()
        expect(waiting).to_be_visible()  # cancelled: nothing changed
        waiting.locator(".domain-refuse").click()
        dialog.get_by_role("button", name=translate("en", "tenants.refuse")).click()
        expect(
            operator.get_by_text(translate("en", "tenants.domain_refused", domain=UNPROVEN))
        ).to_be_visible()
        expect(pending).to_contain_text(translate("en", "tenants.pending_none"))
        expect(operator.locator("#tenants-table tr", has_text="demo")).to_contain_text(PROVEN)

    # the admin removes the proven domain again (after confirming), leaving the demo as it was
    admin.reload()
    row = section.locator(".domain-row", has_text=PROVEN)
    expect(section.locator(".domain-row", has_text=UNPROVEN)).to_have_count(0)
    row.locator(".domain-remove").click()
    admin.get_by_role("alertdialog").get_by_role(
        "button", name=translate("de", "domains.remove")
    ).click()
    expect(section).to_contain_text(translate("de", "domains.none"))
