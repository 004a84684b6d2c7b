"""A German admin reads the audit trail: event names in German, people by name, a filter,
and a CSV export a compliance officer can open."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app import routes
from app.i18n import translate
from e2e.conftest import ARTIFACTS, PHONE, sign_in
from e2e.screens import sized_screenshots

LEAVER = "leaving.advisor@alpina.example"


@pytest.fixture
def admin(page: Page) -> Page:
    """The demo tenant's admin, signed in (German browser)."""
    sign_in(page, "admin@alpina.example")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    return page


def _deactivate_and_reactivate(admin: Page) -> None:
    """Two events about Lea Ving, leaving her as she was."""
    row = admin.locator("#users-table tr", has_text=LEAVER)
    row.get_by_role("button", name=translate("de", "users.deactivate")).click()
    admin.get_by_role("alertdialog").get_by_role(
        "button", name=translate("de", "users.deactivate")
    ).click()
    expect(row).to_contain_text(translate("de", "status.inactive"))
    row.get_by_role("button", name=translate("de", "users.reactivate")).click()
    expect(row).to_contain_text(translate("de", "status.active"))


def test_audit_trail_in_german_names_events_and_people_and_exports_csv(admin: Page) -> None:
    _deactivate_and_reactivate(admin)
    admin.goto(f"/t/demo{routes.ADMIN_AUDIT}")
    deactivated = translate("de", "audit.event.user.deactivated")
    row = admin.locator("#audit-table tr", has_text=deactivated).first
    expect(row).to_contain_text("Petra Admin")  # who did it, by name
    expect(row).to_contain_text("Lea Ving")  # to whom
    expect(row).not_to_contain_text("user 5")
    person = row.get_by_role("link", name="Lea Ving")
    expect(person).to_have_attribute("href", re.compile(r"/t/demo/admin/users\?q=leaving"))

    # Only this kind of event.
    admin.locator("#field-action").select_option("user.deactivated")
    admin.locator("#audit-apply").click()
    rows = admin.locator("#audit-table tbody tr")
    expect(rows.first).to_contain_text(deactivated)
    for text in rows.all_inner_texts():
        assert deactivated in text
    expect(admin.locator("#field-action")).to_have_value("user.deactivated")

    # A range that ends before it starts is refused; what was typed stays.
    admin.locator("#field-date_from").fill("2026-03-02")
    admin.locator("#field-date_to").fill("2026-03-01")
    admin.locator("#audit-apply").click()
    expect(admin.get_by_role("alert")).to_contain_text(translate("de", "audit.error.range"))
    expect(admin.locator("#field-date_from")).to_have_value("2026-03-02")
    expect(rows.first).to_contain_text(deactivated)
    today = dt.date.today()
    admin.locator("#field-date_from").fill(str(today - dt.timedelta(days=1)))
    admin.locator("#field-date_to").fill(str(today + dt.timedelta(days=1)))
    admin.locator("#audit-apply").click()
    expect(admin.get_by_role("alert")).to_have_count(0)
    expect(rows.first).to_contain_text(deactivated)

    with admin.expect_download() as download_info:
        admin.locator("#audit-export").click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-demo-")
    path = Path(download.path())
    text = path.read_text(encoding="utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:3] == [translate("de", f"audit.csv.{c}") for c in ("seq", "time", "event")]
    assert lines and all(line[3] == "user.deactivated" for line in lines)
    assert any(line[2] == deactivated and "Lea Ving" in line and "Petra Admin" in line
               for line in lines)  # fmt: skip
    assert dt.datetime.fromisoformat(lines[0][1]).tzinfo is not None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "audit-export.csv").write_text(text, encoding="utf-8")
    expect(
        admin.get_by_text(translate("de", "audit.export_done", count=len(lines)))
    ).to_be_visible()

    # The export is on the trail itself.
    admin.locator("#audit-clear").click()
    expect(admin.locator("#audit-table tbody tr").first).to_contain_text(
        translate("de", "audit.event.audit.exported")
    )
    sized_screenshots(admin, "admin-audit")
    admin.set_viewport_size(PHONE)
    card = admin.locator("#audit-cards > li", has_text=deactivated).first
    expect(card).to_contain_text("Lea Ving")
    width = admin.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the audit page scrolls sideways ({width}px)"
