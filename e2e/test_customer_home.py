"""A customer's start page gives them something to do: their meetings (joining an open one
with their session, never through a link), whom to contact, and the device check."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from app import routes
from app.i18n import translate
from e2e.conftest import sign_in
from e2e.dead_end_shots import phone_and_laptop
from e2e.seed_dead_ends import CUSTOMER, OPEN_TITLE, OTHERS_TITLE, PAST_TITLE


def test_customer_sees_open_and_past_meetings_their_advisor_and_the_test_center(
    page: Page,
) -> None:
    sign_in(page, CUSTOMER)
    expect(page).to_have_url(re.compile(r"/t/demo/customer$"))
    meetings = page.locator("#customer-meetings")
    expect(meetings).to_contain_text(OPEN_TITLE)
    expect(meetings).to_contain_text(PAST_TITLE)
    expect(meetings).not_to_contain_text(OTHERS_TITLE)  # another person's invitation
    expect(page.locator(".customer-past")).to_have_count(1)
    contacts = page.locator("#customer-advisors")
    expect(contacts).to_contain_text("Anna Berger")
    expect(contacts.get_by_role("link", name="anna.berger@alpina.example")).to_have_attribute(
        "href", "mailto:anna.berger@alpina.example"
    )
    expect(page.locator("#customer-test-center")).to_have_attribute(
        "href", f"/t/demo{routes.TEST_CENTER}"
    )
    assert "k=" not in page.content()  # no personal link of anyone is on the page
    phone_and_laptop(page, "customer-home")

    join = page.locator(".customer-join")
    expect(join).to_have_count(1)
    expect(join).to_have_accessible_name(f"{translate('de', 'customer.join')}: {OPEN_TITLE}")
    join.click()
    expect(page).to_have_url(re.compile(r"/t/demo/meeting/[\w-]+$"))  # the session, no link
    expect(page.get_by_role("heading", name=OPEN_TITLE)).to_be_visible()
    expect(page.locator("#meeting-consent")).to_be_visible()
    expect(page.locator("#meeting-name")).to_have_value("Clara Kunde")
    expect(page.locator("#meeting-privacy-notice")).to_have_attribute(
        "href", "https://alpina.example/datenschutz"
    )


def test_a_customer_without_meetings_is_told_what_will_appear_and_where_to_test(
    page: Page,
) -> None:
    sign_in(page, "max.muster@example.com")
    expect(page).to_have_url(re.compile(r"/t/demo/customer$"))
    expect(page.locator("#customer-meetings")).to_contain_text(
        translate("de", "customer.meetings_open_empty")
    )
    expect(page.locator("#customer-advisors")).to_contain_text(
        translate("de", "customer.advisors_empty")
    )
    expect(page.locator("#customer-test-center")).to_be_visible()
