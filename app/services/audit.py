"""The audit trail: append events in the caller's transaction; verify the hash chain.

Each tenant has its own chain (platform events use chain 0). A row's hash covers its content
and the previous row's hash, so editing or deleting any row breaks verification from there on.
Appends lock the chain head row, so concurrent writers on PostgreSQL cannot fork the chain.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.models import AuditChainHead, AuditEvent
from app.services.context import TenantContext, scoped

GENESIS = "0" * 64
PLATFORM_CHAIN = 0


def _digest(event: AuditEvent) -> str:
    payload = {
        "chain_key": event.chain_key,
        "seq": event.seq,
        "tenant_id": event.tenant_id,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _locked_head(session: Session, chain_key: int) -> AuditChainHead:
    """The chain's head row, locked until commit. A chain's first events may come at once
    (two sign-ins failing in a new tenant): the head is created with an insert that does
    nothing when another transaction created it, then locked like any other time."""
    query = select(AuditChainHead).where(AuditChainHead.chain_key == chain_key).with_for_update()
    head = session.exec(query).first()
    if head is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(
            insert(AuditChainHead)
            .values(chain_key=chain_key, last_seq=0, last_hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["chain_key"])
        )
        head = session.exec(query).one()
    return head


def record(
    session: Session,
    ctx: TenantContext | None,
    action: str,
    *,
    target_type: str = "",
    target_id: Any = "",
    details: dict[str, Any] | None = None,
    tenant_id: int | None = None,
) -> AuditEvent:
    """Append an audit event inside the caller's transaction.

    Args:
        session: the open unit of work; the event commits with the change it describes.
        ctx: the acting context (None for anonymous actions such as a failed login).
        action: dotted verb, e.g. ``user.invited``.
        target_type: kind of the target (``user``, ``tenant`` ...).
        target_id: id of the target.
        details: JSON-serialisable facts; never secrets.
        tenant_id: tenant of the event when ``ctx`` is None.

    Returns:
        The appended event.
    """
    event_tenant = ctx.tenant_id if ctx is not None else tenant_id
    chain_key = event_tenant if event_tenant is not None else PLATFORM_CHAIN
    head = _locked_head(session, chain_key)
    event = AuditEvent(
        chain_key=chain_key,
        seq=head.last_seq + 1,
        tenant_id=event_tenant,
        actor_id=ctx.user_id if ctx is not None else None,
        actor_label=ctx.actor_label if ctx is not None else "anonymous",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=json.loads(json.dumps(details or {}, default=str)),
        prev_hash=head.last_hash,
        hash="",
    )
    event.hash = _digest(event)
    head.last_seq = event.seq
    head.last_hash = event.hash
    session.add(event)
    session.add(head)
    session.flush()
    return event


@dataclasses.dataclass(frozen=True)
class ChainVerification:
    """Outcome of checking one chain: ``ok`` or the first sequence number that is wrong."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify_chain(session: Session, chain_key: int) -> ChainVerification:
    """Recompute the chain and compare it with the stored head.

    Detects a modified row (hash mismatch), a deleted row (sequence gap or broken link) and
    a deleted tail (head says more rows than exist).
    """
    events = session.exec(
        select(AuditEvent).where(AuditEvent.chain_key == chain_key).order_by(col(AuditEvent.seq))
    ).all()
    prev = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return ChainVerification(False, expected_seq - 1, expected_seq, "missing")
        if event.prev_hash != prev:
            return ChainVerification(False, expected_seq - 1, event.seq, "broken_link")
        if _digest(event) != event.hash:
            return ChainVerification(False, expected_seq - 1, event.seq, "modified")
        prev = event.hash
        expected_seq += 1
    head = session.get(AuditChainHead, chain_key)
    if head is not None and (head.last_seq != len(events) or head.last_hash != prev):
        return ChainVerification(False, len(events), len(events) + 1, "truncated")
    return ChainVerification(True, len(events))


def list_events(
    session: Session, ctx: TenantContext, *, limit: int = 200, action_prefix: str = ""
) -> list[AuditEvent]:
    """The tenant's newest audit events first (admins and compliance read these)."""
    query = scoped(ctx, AuditEvent)
    if action_prefix:
        query = query.where(col(AuditEvent.action).startswith(action_prefix))
    return list(session.exec(query.order_by(col(AuditEvent.seq).desc()).limit(limit)).all())
