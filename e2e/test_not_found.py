"""Addresses that lead nowhere: an unknown page, an unknown or a suspended tenant. Each says
what happened in the visitor's language, in a branded page, with a way back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.i18n import translate
from e2e.conftest import sign_in
from e2e.dead_end_shots import phone_and_laptop
from e2e.seed_dead_ends import SUSPENDED_SLUG


def test_an_unknown_page_of_a_tenant_is_a_404_in_its_look_with_the_way_home(page: Page) -> None:
    response = page.goto("/t/demo/gibt-es-nicht")
    assert response is not None and response.status == 404
    expect(page.locator("#not-found")).to_have_text(translate("de", "notfound.title"))
    expect(page.get_by_text(translate("de", "notfound.text"))).to_be_visible()
    expect(page.locator("header")).to_contain_text("Alpina Versicherung")
    expect(page.locator("#not-found-start")).to_have_count(0)  # nobody signed in
    phone_and_laptop(page, "not-found")
    page.locator("#not-found-home").click()
    expect(page).to_have_url(re.compile(r"/t/demo/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(translate("de", "landing.hero_title"))


def test_a_signed_in_user_is_also_offered_their_start_page(page: Page) -> None:
    sign_in(page, "max.muster@example.com")
    expect(page).to_have_url(re.compile(r"/customer$"))
    page.goto("/t/demo/kein/solcher/pfad")
    page.locator("#not-found-start").click()
    expect(page).to_have_url(re.compile(r"/t/demo/customer$"))


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/t/niemand", "notfound.tenant"),
        ("/t/niemand/login", "notfound.tenant"),
        ("/t/niemand/irgendwas", "notfound.tenant"),
        (f"/t/{SUSPENDED_SLUG}", "notfound.suspended"),
        (f"/t/{SUSPENDED_SLUG}/login", "notfound.suspended"),
    ],
    ids=["unknown", "unknown-login", "unknown-path", "suspended", "suspended-login"],
)
def test_an_unknown_or_suspended_tenant_says_so_in_the_platforms_look(
    page: Page, path: str, key: str
) -> None:
    page.goto(path)
    expect(page.locator("#tenant-missing")).to_have_text(translate("de", f"{key}_title"))
    expect(page.get_by_text(translate("de", key))).to_be_visible()
    expect(page.locator("header")).to_contain_text("Consilio")
    expect(page.locator("#field-email")).to_have_count(0)  # no login form of nobody
    if path == "/t/niemand":
        phone_and_laptop(page, "tenant-missing")
    if path == f"/t/{SUSPENDED_SLUG}":
        phone_and_laptop(page, "tenant-suspended")
    page.locator("#tenant-missing-home").click()
    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    expect(page.locator("#tenant-missing")).to_have_count(0)  # the platform's home exists
