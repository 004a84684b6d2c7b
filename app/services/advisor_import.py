"""Bulk import of advisors from a CSV file, with a report row by row.

All rows are checked first. If any row is wrong, nothing is imported and the report says
what to fix in which row; otherwise every new advisor is invited and existing addresses are
reported as skipped. Excel's semicolon CSV and UTF-8 with or without BOM are accepted.
"""

from __future__ import annotations

import csv
import dataclasses
import io

from sqlmodel import Session

from app.i18n import LANGUAGES
from app.models import Role, Team, User
from app.services import users
from app.services.context import TenantContext, scoped
from app.services.errors import AccessDenied, InvalidInput
from app.services.guard import ADMINS

MAX_BYTES = 1_000_000
MAX_ROWS = 2000
NAME_COLUMNS = ("display_name", "name")
TRUE_WORDS = {"1", "yes", "true", "ja", "oui", "si", "sì", "x"}


@dataclasses.dataclass(frozen=True)
class ImportRow:
    """One line of the report: the CSV line number, the address, the outcome and why."""

    line: int
    email: str
    outcome: str  # "created" | "skipped" | "error"
    message_key: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ImportReport:
    """The whole report; ``imported`` is False when errors stopped the import."""

    rows: list[ImportRow]
    imported: bool

    @property
    def created(self) -> int:
        """How many advisors were invited."""
        return sum(1 for r in self.rows if r.outcome == "created")

    @property
    def errors(self) -> int:
        """How many rows need fixing."""
        return sum(1 for r in self.rows if r.outcome == "error")


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise InvalidInput("error.csv_too_large", max_kb=MAX_BYTES // 1000)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("error.csv_encoding")


def _reader(text: str) -> csv.DictReader[str]:
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in headers or not any(n in headers for n in NAME_COLUMNS):
        raise InvalidInput("error.csv_header")
    reader.fieldnames = headers
    return reader


def import_advisors(session: Session, ctx: TenantContext, content: bytes) -> ImportReport:
    """Check and import a CSV with columns email, display_name (or name), optional team,
    team_lead, locale. Admins only."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    reader = _reader(_decode(content))
    teams = {t.name.lower(): t for t in session.exec(scoped(ctx, Team)).all()}
    existing = {u.email for u in session.exec(scoped(ctx, User)).all()}
    planned: list[tuple[int, dict[str, object]]] = []
    report: list[ImportRow] = []
    seen: set[str] = set()
    for index, raw in enumerate(reader):
        line = index + 2
        if index >= MAX_ROWS:
            raise InvalidInput("error.csv_too_many_rows", max_rows=MAX_ROWS)
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        email_raw = row.get("email", "")
        try:
            email = users.clean_email(email_raw)
            name = users.clean_name(next((row[n] for n in NAME_COLUMNS if row.get(n)), ""))
            team_name = row.get("team", "")
            team = teams.get(team_name.lower()) if team_name else None
            if team_name and team is None:
                raise InvalidInput("error.csv_unknown_team", team=team_name)
            locale = (row.get("locale") or "").lower() or None
            if locale is not None and locale not in LANGUAGES:
                raise InvalidInput("error.language_invalid")
        except InvalidInput as exc:
            report.append(
                ImportRow(
                    line,
                    email_raw[:254],
                    "error",
                    exc.key,
                    {k: str(v) for k, v in exc.params.items()},
                )
            )
            continue
        if email in seen:
            report.append(ImportRow(line, email, "error", "error.csv_duplicate_row"))
            continue
        seen.add(email)
        if email in existing:
            report.append(ImportRow(line, email, "skipped", "import.exists"))
            continue
        planned.append(
            (
                line,
                {
                    "email": email,
                    "display_name": name,
                    "team_id": team.id if team else None,
                    "is_team_lead": row.get("team_lead", "").lower() in TRUE_WORDS,
                    "locale": locale,
                },
            )
        )
    if not planned and not report:
        raise InvalidInput("error.csv_empty")
    if any(r.outcome == "error" for r in report):
        return ImportReport(sorted(report, key=lambda r: r.line), imported=False)
    for line, fields in planned:
        users.invite_user(session, ctx, role=Role.ADVISOR, **fields)  # type: ignore[arg-type]
        report.append(ImportRow(line, str(fields["email"]), "created", "import.created"))
    return ImportReport(sorted(report, key=lambda r: r.line), imported=True)
