"""The audit trail as people read it: names instead of ids, filters, and the CSV export."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from sqlmodel import Session

from app.models import Role
from app.services import audit, audit_export, audit_trail, users
from app.services.audit_trail import TrailFilter
from app.services.errors import AccessDenied, InvalidInput, NotFound
from tests.factories import TenantWorld, make_user


def _rows(export: audit_export.AuditExport, delimiter: str) -> list[list[str]]:
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_trail_names_who_acted_and_the_person_acted_on(db: Session, alpha: TenantWorld) -> None:
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id or 0)
    db.commit()
    [view] = audit_trail.list_trail(db, alpha.admin_ctx, TrailFilter(action="user.deactivated"))
    assert view.actor is not None and view.actor.name == alpha.admin.display_name
    assert view.target_person is not None and view.target_person.name == alpha.advisor.display_name
    assert audit_trail.event_name(view.action, "de") == "Benutzer deaktiviert"


def test_a_person_of_another_tenant_is_never_named(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    # An event of alpha that (wrongly, or by a forged id) points at beta's people.
    foreign = dataclasses.replace(alpha.admin_ctx, user_id=beta.admin.id)
    audit.record(db, foreign, "user.deactivated", target_type="user", target_id=beta.advisor.id)
    db.commit()
    [view] = audit_trail.list_trail(db, alpha.admin_ctx, TrailFilter())
    assert view.actor is None and view.target_person is None
    assert audit_trail.target_label(view) == f"#{beta.advisor.id}"
    assert beta.advisor.display_name not in repr(view)
    people = {p.email for p in audit_trail.list_people(db, alpha.admin_ctx)}
    assert beta.advisor.email not in people and alpha.advisor.email in people


def test_csv_export_holds_the_event_in_the_readers_language_and_zone(
    db: Session, alpha: TenantWorld
) -> None:
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id or 0)
    db.commit()
    zurich = dataclasses.replace(alpha.admin_ctx, timezone="Europe/Zurich")
    export = audit_export.export_csv(db, zurich, TrailFilter(), "de")
    db.commit()
    header, *rows = _rows(export, ";")
    assert header == [
        "Nr.",
        "Zeitpunkt (ISO 8601)",
        "Ereignis",
        "Ereigniscode",
        "Ausgeführt von",
        "Konto",
        "Art des Ziels",
        "Ziel",
        "Details",
    ]
    [row] = [r for r in rows if r[3] == "user.deactivated"]
    assert row[2] == "Benutzer deaktiviert"
    assert row[4:8] == [alpha.admin.display_name, alpha.admin.email, "Person", "Advisor"]
    moment = dt.datetime.fromisoformat(row[1])
    assert moment.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))
    assert export.filename.startswith("audit-alpha-") and export.filename.endswith(".csv")
    assert export.complete and export.rows == len(rows)


def test_english_export_uses_commas(db: Session, alpha: TenantWorld) -> None:
    audit.record(db, alpha.admin_ctx, "team.deleted", target_type="team", target_id=9,
                 details={"name": "Zürich, Nord"})  # fmt: skip
    db.commit()
    header, row = _rows(audit_export.export_csv(db, alpha.admin_ctx, TrailFilter(), "en"), ",")
    assert header[2] == "Event" and row[2] == "Team deleted"
    assert row[6:8] == ["Team", "Zürich, Nord"]  # a comma inside a cell stays in its cell


def test_export_never_holds_another_tenants_events(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id or 0)
    for _ in range(3):
        users.deactivate_user(db, beta.admin_ctx, beta.advisor.id or 0)
        users.reactivate_user(db, beta.admin_ctx, beta.advisor.id or 0)
    db.commit()
    export = audit_export.export_csv(db, alpha.admin_ctx, TrailFilter(), "en")
    text = export.content.decode("utf-8")
    assert "user.deactivated" in text
    assert "beta.example" not in text and "user.reactivated" not in text
    alpha_events = audit.list_events(db, alpha.admin_ctx)
    assert export.rows == len(alpha_events) - 1  # all of alpha's but the export's own event


def test_the_export_itself_is_on_the_trail(db: Session, alpha: TenantWorld) -> None:
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id or 0)
    wanted = TrailFilter(action="user.deactivated")
    audit_export.export_csv(db, alpha.admin_ctx, wanted, "fr")
    db.commit()
    newest = audit_trail.list_trail(db, alpha.admin_ctx, TrailFilter(), limit=1)[0]
    assert newest.action == "audit.exported"
    assert newest.actor is not None and newest.actor.id == alpha.admin.id
    assert newest.details == {"action": "user.deactivated", "rows": 1, "complete": True}
    assert audit.verify_chain(db, alpha.tenant.id or 0).ok


def test_a_name_typed_as_a_formula_is_exported_as_text(db: Session, alpha: TenantWorld) -> None:
    sly = make_user(db, alpha.tenant, "sly@alpha.example", Role.ADVISOR)
    sly.display_name = '=HYPERLINK("https://evil.example","click")'
    db.add(sly)
    users.deactivate_user(db, alpha.admin_ctx, sly.id or 0)
    db.commit()
    _, *rows = _rows(audit_export.export_csv(db, alpha.admin_ctx, TrailFilter(), "en"), ",")
    [row] = [r for r in rows if r[3] == "user.deactivated"]
    assert row[7] == "'" + sly.display_name


def test_person_filter_finds_what_they_did_and_what_was_done_to_them(
    db: Session, alpha: TenantWorld
) -> None:
    users.deactivate_user(db, alpha.admin_ctx, alpha.advisor.id or 0)
    users.change_role(db, alpha.admin_ctx, alpha.customer.id or 0, Role.ADVISOR)
    db.commit()
    about_advisor = audit_trail.parse_filter(db, alpha.admin_ctx, person=str(alpha.advisor.id))
    by_admin = audit_trail.parse_filter(db, alpha.admin_ctx, person=str(alpha.admin.id))
    assert [v.action for v in audit_trail.list_trail(db, alpha.admin_ctx, about_advisor)] == [
        "user.deactivated"
    ]
    assert [v.action for v in audit_trail.list_trail(db, alpha.admin_ctx, by_admin)] == [
        "user.role_changed",
        "user.deactivated",
    ]


def test_date_range_counts_whole_days_in_the_readers_zone(db: Session, alpha: TenantWorld) -> None:
    audit.record(db, alpha.admin_ctx, "team.created", target_type="team", target_id=1)
    db.commit()
    today = dt.datetime.now(dt.UTC).date()
    ctx = alpha.admin_ctx

    def count(**days: str) -> int:
        wanted = audit_trail.parse_filter(db, ctx, **days)
        return len(audit_trail.list_trail(db, ctx, wanted))

    assert count(date_from=str(today - dt.timedelta(days=1)), date_to=str(today)) == 1
    assert count(date_to=str(today - dt.timedelta(days=2))) == 0
    assert count(date_from=str(today + dt.timedelta(days=2))) == 0


def test_bad_filters_are_refused(db: Session, alpha: TenantWorld, beta: TenantWorld) -> None:
    ctx = alpha.admin_ctx
    with pytest.raises(InvalidInput) as refused:
        audit_trail.parse_filter(db, ctx, date_from="2026-03-02", date_to="2026-03-01")
    assert refused.value.key == "audit.error.range"
    with pytest.raises(InvalidInput):
        audit_trail.parse_filter(db, ctx, date_from="gestern")
    with pytest.raises(InvalidInput):
        audit_trail.parse_filter(db, ctx, action="user.deactivated' OR 1=1")
    with pytest.raises(NotFound):
        audit_trail.parse_filter(db, ctx, person=str(beta.advisor.id))


def test_only_admins_read_or_export_the_trail(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AccessDenied):
        audit_trail.list_trail(db, alpha.advisor_ctx, TrailFilter())
    with pytest.raises(AccessDenied):
        audit_export.export_csv(db, alpha.customer_ctx, TrailFilter(), "en")
