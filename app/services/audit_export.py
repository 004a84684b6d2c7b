"""The audit trail as a CSV file a compliance officer can open in a spreadsheet.

Headers and event names are in the reader's language, people are named, times are ISO 8601
with the offset of the reader's time zone (unambiguous in any spreadsheet), the separator is
the one the reader's spreadsheet expects (``;`` where the decimal mark is a comma), and the
file starts with a UTF-8 byte order mark so umlauts survive Excel. Cells that a spreadsheet
would run as a formula (a name typed as ``=HYPERLINK(...)``) are quoted as text.

Exporting is itself an audit event (``audit.exported``, with the filter and the row count):
who took the trail out of the system, and which part of it, is on the trail.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

from babel import numbers
from sqlmodel import Session

from app.i18n import translate
from app.services import audit
from app.services.audit_trail import (
    TrailFilter,
    actor_account,
    actor_name,
    details_text,
    event_name,
    list_trail,
    target_kind,
    target_label,
)
from app.services.context import TenantContext

EXPORT_LIMIT = 10_000
COLUMNS = ("seq", "time", "event", "code", "actor", "account", "target_kind", "target", "details")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclasses.dataclass(frozen=True)
class AuditExport:
    """The file to hand to the browser, and what it holds.

    ``complete`` is False when more events matched than the export holds (the newest
    ``EXPORT_LIMIT``): the reader should narrow the date range.
    """

    filename: str
    content: bytes
    rows: int
    complete: bool


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def separator(lang: str) -> str:
    """The column separator a spreadsheet in ``lang`` reads: ``;`` where the decimal mark
    is a comma (German, French, Italian, Spanish Excel), else ``,``."""
    return ";" if numbers.get_decimal_symbol(lang) == "," else ","


def export_csv(session: Session, ctx: TenantContext, wanted: TrailFilter, lang: str) -> AuditExport:
    """The tenant's events matching ``wanted``, newest first, as CSV (admins only).

    Records ``audit.exported`` in the caller's unit of work.
    """
    events = list_trail(session, ctx, wanted, limit=EXPORT_LIMIT + 1)
    complete = len(events) <= EXPORT_LIMIT
    events = events[:EXPORT_LIMIT]
    zone = ZoneInfo(ctx.timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator(lang), lineterminator="\r\n")
    writer.writerow([translate(lang, f"audit.csv.{column}") for column in COLUMNS])
    for view in events:
        writer.writerow(
            [
                str(view.seq),
                view.created_at.astimezone(zone).isoformat(timespec="seconds"),
                _cell(event_name(view.action, lang)),
                view.action,
                _cell(actor_name(view, lang)),
                _cell(actor_account(view)),
                _cell(target_kind(view, lang)),
                _cell(target_label(view)),
                _cell(details_text(view.details)),
            ]
        )
    audit.record(
        session,
        ctx,
        "audit.exported",
        target_type="tenant",
        target_id=ctx.tenant_id,
        details={**wanted.as_details(), "rows": len(events), "complete": complete},
    )
    stamp = dt.datetime.now(zone).strftime("%Y%m%d-%H%M")
    return AuditExport(
        filename=f"audit-{ctx.tenant_slug or ctx.tenant_id}-{stamp}.csv",
        content=("\ufeff" + buffer.getvalue()).encode("utf-8"),
        rows=len(events),
        complete=complete,
    )
