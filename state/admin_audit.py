"""Admins read the audit trail, verify its integrity, and see failed background jobs."""

from __future__ import annotations

import reflex as rx

from app.i18n import REFERENCE, catalog
from app.services import audit, jobs
from app.services.guard import ADMINS
from state.guard import Acting, acting


def _failure_text(act: Acting, error: str) -> str:
    """A failure's message in the admin's language; never raw exception text (failures filed
    before message keys were stored read "ExceptionName: key", or anything)."""
    key = error.rpartition(": ")[2]
    return act.text(key if key in catalog(REFERENCE) else "jobs.error.unexpected")


class AdminAuditState(rx.State):
    """Audit events and the result of the last integrity check."""

    error: str = ""
    notice: str = ""
    events: list[dict[str, str]] = []
    verdict: str = ""
    intact: bool = True

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: newest events first."""
        self.verdict = ""
        self.events = [
            {
                "seq": str(e.seq),
                "when": act.when(e.created_at),
                "who": e.actor_label,
                "action": e.action,
                "target": f"{e.target_type} {e.target_id}".strip(),
                "details": ", ".join(f"{k}={v}" for k, v in sorted(e.details.items()))[:200],
            }
            for e in audit.list_events(act.db, act.ctx)
        ]

    @rx.event
    @acting(ADMINS)
    def verify(self, act: Acting) -> None:
        """Recompute the hash chain of this tenant."""
        result = audit.verify_chain(act.db, act.ctx.tenant_id)
        self.intact = result.ok
        self.verdict = (
            act.text("audit.chain_ok", count=result.checked)
            if result.ok
            else act.text("audit.chain_broken", seq=result.first_bad_seq, reason=result.reason)
        )


class AdminJobsState(rx.State):
    """Background jobs that failed for good."""

    error: str = ""
    notice: str = ""
    failures: list[dict[str, str]] = []

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: newest failures first."""
        self.failures = [
            {
                "actor": f.actor,
                "args": ", ".join(str(a) for a in f.args),
                "error": _failure_text(act, f.error),
                "failed_at": act.when(f.failed_at),
            }
            for f in jobs.list_failures(act.db, act.ctx)
        ]
