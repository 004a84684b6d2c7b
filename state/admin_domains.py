"""Admins add their own domains and prove them with a DNS TXT record (or wait for approval)."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.models import DomainStatus, TenantDomain
from app.services import domains
from app.services.guard import ADMINS
from state.guard import Acting, acting


@dataclasses.dataclass
class DomainRow:
    """One of the tenant's domains as the branding page lists it."""

    id: str = ""
    host: str = ""
    status_key: str = ""  # message key of the status
    pending: bool = False
    record_name: str = ""
    record_value: str = ""


def _row(claim: TenantDomain) -> DomainRow:
    record = domains.proof_record(claim)
    return DomainRow(
        id=str(claim.id),
        host=claim.host,
        status_key=f"domains.status_{claim.status}",
        pending=claim.status == DomainStatus.PENDING,
        record_name=record.name,
        record_value=record.value,
    )


class DomainsState(rx.State):
    """The tenant's custom domains with their proof status."""

    error: str = ""
    notice: str = ""
    rows: list[DomainRow] = []
    add_revision: int = 0  # changed after a domain was added: the form starts over

    def _reload(self, act: Acting) -> None:
        self.rows = [_row(claim) for claim in domains.list_domains(act.db, act.ctx)]

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: the tenant's domains."""
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def add(self, act: Acting, form: dict[str, Any]) -> None:
        """Claim a domain; it waits for its proof (a refusal leaves the typed host)."""
        claim = domains.claim_domain(act.db, act.ctx, str(form.get("host", "")))
        self.notice = act.text("domains.added", domain=claim.host)
        self.add_revision += 1
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def check(self, act: Acting, domain_id: str) -> None:
        """Look for the domain's TXT record now (DNS, with a short timeout)."""
        claim = domains.verify_domain(act.db, act.ctx, domain_id)
        self.notice = act.text("domains.verified", domain=claim.host)
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def remove(self, act: Acting, domain_id: str) -> None:
        """Drop a domain; the tenant's pages stop answering on it."""
        claim = domains.remove_domain(act.db, act.ctx, domain_id)
        self.notice = act.text("domains.removed", domain=claim.host)
        self._reload(act)
