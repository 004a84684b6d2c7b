"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.services import audit
from tests.factories import TenantWorld


def _three_events(db: Session, world: TenantWorld) -> int:
    for n in range(3):
        audit.record(db, world.admin_ctx, "test.event", target_type="thing", target_id=n)
    db.commit()
    assert world.tenant.id is not None
    return world.tenant.id


def test_untouched_chain_verifies(db: Session, alpha: TenantWorld) -> None:
    chain = _three_events(db, alpha)
    result = audit.verify_chain(db, chain)
    assert result.ok and result.checked == 3


def test_modified_row_is_detected(db: Session, alpha: TenantWorld) -> None:
    chain = _three_events(db, alpha)
    db.exec(
        sa.text(
            "UPDATE audit_event SET actor_label='someone else' WHERE seq=2 AND chain_key=:c"
        ).bindparams(c=chain)
    )
    db.commit()
    result = audit.verify_chain(db, chain)
    assert not result.ok and result.first_bad_seq == 2 and result.reason == "modified"


def test_deleted_row_is_detected(db: Session, alpha: TenantWorld) -> None:
    chain = _three_events(db, alpha)
    db.exec(sa.text("DELETE FROM audit_event WHERE seq=2 AND chain_key=:c").bindparams(c=chain))
    db.commit()
    result = audit.verify_chain(db, chain)
    assert not result.ok and result.first_bad_seq == 2


def test_deleted_newest_row_is_detected(db: Session, alpha: TenantWorld) -> None:
    chain = _three_events(db, alpha)
    db.exec(sa.text("DELETE FROM audit_event WHERE seq=3 AND chain_key=:c").bindparams(c=chain))
    db.commit()
    result = audit.verify_chain(db, chain)
    assert not result.ok and result.reason == "truncated"


def test_each_tenant_has_its_own_chain(db: Session, alpha: TenantWorld, beta: TenantWorld) -> None:
    _three_events(db, alpha)
    audit.record(db, beta.admin_ctx, "test.event")
    db.commit()
    assert [e.seq for e in audit.list_events(db, beta.admin_ctx)] == [1]
    assert audit.verify_chain(db, beta.tenant.id or 0).ok
