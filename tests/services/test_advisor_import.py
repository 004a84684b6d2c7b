"""CSV import of advisors: row-by-row report, all-or-nothing on errors."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import User
from app.services import advisor_import
from app.services.errors import InvalidInput
from tests.factories import TenantWorld


def test_valid_file_invites_every_new_advisor_and_skips_existing(
    db: Session, alpha: TenantWorld
) -> None:
    content = (
        "email;display_name;locale\nnew.one@alpha.example;New One;fr\n"
        "advisor@alpha.example;Existing;de\n"
    ).encode("utf-8-sig")
    report = advisor_import.import_advisors(db, alpha.admin_ctx, content)
    db.commit()
    assert report.imported
    assert [(r.line, r.outcome) for r in report.rows] == [(2, "created"), (3, "skipped")]
    created = db.exec(select(User).where(User.email == "new.one@alpha.example")).one()
    assert created.role == "advisor" and created.status == "invited" and created.locale == "fr"


def test_one_malformed_row_imports_nothing_and_names_the_row(
    db: Session, alpha: TenantWorld
) -> None:
    before = len(db.exec(select(User)).all())
    content = b"email,display_name\ngood@alpha.example,Good\nnot-an-email,Bad\n,\n"
    report = advisor_import.import_advisors(db, alpha.admin_ctx, content)
    assert not report.imported
    assert [(r.line, r.message_key) for r in report.rows if r.outcome == "error"] == [
        (3, "error.email_invalid")
    ]
    db.rollback()
    assert len(db.exec(select(User)).all()) == before


def test_missing_header_is_explained(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        advisor_import.import_advisors(db, alpha.admin_ctx, b"mail,who\nx@y.z,X\n")
    assert exc.value.key == "error.csv_header"


def test_file_over_the_limit_is_refused(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        advisor_import.import_advisors(
            db, alpha.admin_ctx, b"email,display_name\n" + b"a" * advisor_import.MAX_BYTES
        )
    assert exc.value.key == "error.csv_too_large"


def test_duplicate_address_in_file_is_an_error(db: Session, alpha: TenantWorld) -> None:
    report = advisor_import.import_advisors(
        db, alpha.admin_ctx, b"email,name\na@alpha.example,A\nA@alpha.example,B\n"
    )
    assert not report.imported and report.rows[-1].message_key == "error.csv_duplicate_row"
