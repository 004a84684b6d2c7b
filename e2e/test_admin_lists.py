"""Admin lists on a phone, and destructive actions that ask first.

On a phone (390x844) the users table becomes cards: each person's status and buttons are
visible without scrolling sideways. Deactivating someone opens a dialog that names them and
says what happens; cancelling changes nothing and gives focus back to the button.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from app import routes
from app.i18n import translate
from e2e.conftest import PHONE, screenshots, sign_in
from e2e.screens import LAPTOP, sized_screenshots

LEAVER = "leaving.advisor@alpina.example"


@pytest.fixture
def admin(page: Page) -> Page:
    """The demo tenant's admin, signed in (German browser)."""
    sign_in(page, "admin@alpina.example")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    return page


def _card(page: Page, text: str) -> Locator:
    return page.locator("#users-cards > li", has_text=text)


def test_users_are_cards_with_status_and_actions_on_a_phone(admin: Page) -> None:
    admin.set_viewport_size(PHONE)
    card = _card(admin, LEAVER)
    expect(card).to_be_visible()
    expect(admin.locator("#users-table")).to_be_hidden()
    expect(card).to_contain_text("Lea Ving")
    expect(card.get_by_text(translate("de", "status.active"), exact=True)).to_be_visible()
    deactivate = card.get_by_role("button", name=translate("de", "users.deactivate"))
    expect(deactivate).to_be_visible()
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    width = admin.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"
    sized_screenshots(admin, "admin-users-cards")

    admin.set_viewport_size(LAPTOP)
    expect(admin.locator("#users-table")).to_be_visible()
    expect(admin.locator("#users-cards")).to_be_hidden()
    row = admin.locator("#users-table tr", has_text=LEAVER)
    expect(row.get_by_role("button", name=translate("de", "users.deactivate"))).to_be_visible()


def test_deactivating_asks_first_and_cancel_changes_nothing(admin: Page) -> None:
    admin.set_viewport_size(PHONE)
    card = _card(admin, LEAVER)
    trigger = card.get_by_role("button", name=translate("de", "users.deactivate"))
    trigger.click()
    dialog = admin.get_by_role("alertdialog")
    expect(dialog).to_contain_text(translate("de", "users.deactivate_question", name="Lea Ving"))
    expect(dialog).to_contain_text(LEAVER)
    expect(dialog).to_contain_text(translate("de", "users.deactivate_consequence"))
    screenshots(admin, "admin-users-deactivate-confirm")
    admin.set_viewport_size(PHONE)
    dialog.get_by_role("button", name=translate("de", "common.cancel")).click()
    expect(dialog).to_have_count(0)
    expect(trigger).to_be_focused()
    expect(card).to_contain_text(translate("de", "status.active"))

    # Escape is a cancel too.
    trigger.click()
    expect(dialog).to_be_visible()
    admin.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(trigger).to_be_focused()
    expect(card).to_contain_text(translate("de", "status.active"))


@pytest.mark.parametrize(
    ("route", "name"),
    [(routes.ADMIN_TEAMS, "teams"), (routes.ADMIN_MAIL, "outbox"), (routes.ADMIN_JOBS, "jobs")],
)
def test_other_admin_lists_are_cards_on_a_phone(admin: Page, route: str, name: str) -> None:
    admin.set_viewport_size(PHONE)
    admin.goto(f"/t/demo{route}")
    expect(admin.locator("main h2").first).to_be_visible()
    expect(admin.locator(f"#{name}-table")).to_be_hidden()
    width = admin.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{route} scrolls sideways ({width}px)"
