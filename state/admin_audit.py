"""Admins read the audit trail (filtered, with names), verify its integrity, export it as
CSV, and see failed background jobs."""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx
from reflex.event import EventSpec

from app import routes
from app.i18n import REFERENCE, catalog
from app.services import audit, audit_export, audit_trail, jobs
from app.services.context import TenantContext
from app.services.errors import DomainError
from app.services.guard import ADMINS
from state.guard import Acting, acting


def _failure_text(act: Acting, error: str) -> str:
    """A failure's message in the admin's language; never raw exception text (failures filed
    before message keys were stored read "ExceptionName: key", or anything)."""
    key = error.rpartition(": ")[2]
    return act.text(key if key in catalog(REFERENCE) else "jobs.error.unexpected")


@dataclasses.dataclass
class AuditRow:
    """One event as the page shows it: words and names, links as tenant-relative paths."""

    seq: str = ""
    when: str = ""
    moment: str = ""  # ISO 8601 with offset, for the title and screen readers
    event: str = ""
    code: str = ""
    actor: str = ""
    actor_account: str = ""
    actor_link: str = ""
    target_kind: str = ""
    target: str = ""
    target_link: str = ""
    target_filter: str = ""  # "meeting:12": a target with no page, shown by filtering
    details: str = ""


@dataclasses.dataclass
class TrailForm:
    """The filter as the reader set it (form values; checked again on every use)."""

    action: str = ""
    person: str = ""
    date_from: str = ""
    date_to: str = ""
    target: str = ""
    target_label: str = ""


def _person_link(person: audit_trail.Person | None) -> str:
    return routes.path("", routes.ADMIN_USERS, q=person.email) if person else ""


def _target_link(ctx: TenantContext, view: audit_trail.EventView) -> str:
    """The page where an admin finds the target, if there is one."""
    if view.target_type == "user":
        return _person_link(view.target_person)
    if view.target_type == "tenant":
        own = view.target_id == str(ctx.tenant_id)
        return routes.ADMIN_BRANDING if own else routes.PLATFORM_TENANTS
    return TARGET_PAGES.get(view.target_type, "")


TARGET_PAGES = {
    "team": routes.ADMIN_TEAMS,
    "domain": routes.ADMIN_BRANDING,
    "mail": routes.ADMIN_MAIL,
    "mail_template": routes.ADMIN_MAIL,
}
# Targets without a page of their own: the link narrows the trail to them.
FILTERABLE = ("meeting",)


def audit_row(act: Acting, view: audit_trail.EventView) -> AuditRow:
    """One row in the reader's language and time zone."""
    lang = act.caller.lang
    return AuditRow(
        seq=str(view.seq),
        when=act.when(view.created_at),
        moment=view.created_at.astimezone(ZoneInfo(act.ctx.timezone)).isoformat("T", "seconds"),
        event=audit_trail.event_name(view.action, lang),
        code=view.action,
        actor=audit_trail.actor_name(view, lang),
        actor_account=audit_trail.actor_account(view),
        actor_link=_person_link(view.actor),
        target_kind=audit_trail.target_kind(view, lang) if view.target_id else "",
        target=audit_trail.target_label(view),
        target_link=_target_link(act.ctx, view),
        target_filter=f"{view.target_type}:{view.target_id}"
        if view.target_type in FILTERABLE
        else "",
        details=audit_trail.details_text(view.details)[:500],
    )


class AdminAuditState(rx.State):
    """The audit trail: filtered events with names, the integrity check, the CSV export."""

    error: str = ""
    notice: str = ""
    events: list[AuditRow] = []
    more: bool = False  # more events match than are shown
    verdict: str = ""
    intact: bool = True
    filters: TrailForm = TrailForm()
    revision: int = 0  # changed when the filter form should show ``filters`` afresh
    people: list[list[str]] = []  # [id, "Name <address>"], the person filter's choices

    def _filter(self, act: Acting) -> audit_trail.TrailFilter:
        form = self.filters
        return audit_trail.parse_filter(
            act.db,
            act.ctx,
            action=form.action,
            person=form.person,
            date_from=form.date_from,
            date_to=form.date_to,
            target=form.target,
        )

    def _reload(self, act: Acting) -> None:
        views = audit_trail.list_trail(
            act.db, act.ctx, self._filter(act), limit=audit_trail.PAGE_LIMIT + 1
        )
        self.more = len(views) > audit_trail.PAGE_LIMIT
        self.events = [audit_row(act, v) for v in views[: audit_trail.PAGE_LIMIT]]

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: the newest events, unfiltered, and the people to filter by."""
        self.verdict = ""
        self.filters = TrailForm()
        self.revision += 1
        self.people = [
            [str(p.id), f"{p.name} <{p.email}>"] for p in audit_trail.list_people(act.db, act.ctx)
        ]
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def apply_filters(self, act: Acting, form: dict[str, Any]) -> None:
        """Narrow the trail; a refused filter (a range ending before it starts) leaves the
        form as typed and the list as it was."""
        wanted = TrailForm(
            action=str(form.get("action", ""))[:80],
            person=str(form.get("person", ""))[:20],
            date_from=str(form.get("date_from", ""))[:10],
            date_to=str(form.get("date_to", ""))[:10],
            target=self.filters.target,
            target_label=self.filters.target_label,
        )
        previous, self.filters = self.filters, wanted
        try:
            self._reload(act)
        except DomainError:
            self.filters = previous
            raise

    @rx.event
    @acting(ADMINS)
    def clear_filters(self, act: Acting) -> None:
        """Show the whole trail again."""
        self.filters = TrailForm()
        self.revision += 1
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def show_target(self, act: Acting, target: str) -> None:
        """Narrow the trail to one target without a page of its own (a meeting)."""
        row = next((r for r in self.events if r.target_filter == target), None)
        if row is None:
            return
        self.filters = dataclasses.replace(
            self.filters, target=target, target_label=f"{row.target_kind}: {row.target}"
        )
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def export_csv(self, act: Acting) -> EventSpec:
        """Hand the browser the filtered trail as CSV (built here, off the event loop); the
        export is recorded on the trail."""
        export = audit_export.export_csv(act.db, act.ctx, self._filter(act), act.caller.lang)
        self.notice = act.text(
            "audit.export_done" if export.complete else "audit.export_partial",
            count=export.rows,
        )
        self._reload(act)
        return rx.download(data=export.content, filename=export.filename, mime_type="text/csv")

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
