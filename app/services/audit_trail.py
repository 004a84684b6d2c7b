"""The audit trail as people read it: who (by name) did what to whom, filtered.

Rows store ids (``actor_id``, ``target_id``) and a dotted event code; an admin or a
compliance officer needs names and words. This module resolves the ids of one page of
events with one query per kind of record (people, meetings, teams, meeting participants),
always inside the caller's tenant, so a name from another tenant can never appear. Event
codes are translated by the message catalog (``audit.event.<code>``); the state and the CSV
export (``services.audit_export``) both read what :func:`list_trail` returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.i18n import REFERENCE, catalog, translate
from app.models import AuditEvent, Meeting, MeetingParticipant, Role, Team, Tenant, User
from app.services.context import TenantContext, get_scoped, scoped
from app.services.errors import AccessDenied, InvalidInput
from app.services.guard import ADMINS

PAGE_LIMIT = 200
EVENT_KEY_PREFIX = "audit.event."
TARGET_KEY_PREFIX = "audit.target."
CODE_RE = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)+$")
# Details that name a meeting participant by their public key.
PARTICIPANT_DETAILS = ("participant", "presenter")
ANONYMOUS = "anonymous"
SYSTEM = "system"


def event_key(code: str) -> str:
    """The message key naming event ``code``, or "" for a code the catalog does not know
    (shown raw rather than hidden)."""
    key = EVENT_KEY_PREFIX + code
    return key if key in catalog(REFERENCE) else ""


def target_key(target_type: str) -> str:
    """The message key naming a kind of target (``user``, ``meeting`` ...), or ""."""
    key = TARGET_KEY_PREFIX + target_type
    return key if target_type and key in catalog(REFERENCE) else ""


def known_events() -> list[str]:
    """Every event code the catalog names, sorted (the event filter's choices)."""
    keys = [key for key in catalog(REFERENCE) if key.startswith(EVENT_KEY_PREFIX)]
    return sorted(key.removeprefix(EVENT_KEY_PREFIX) for key in keys)


@dataclasses.dataclass(frozen=True)
class TrailFilter:
    """What the reader narrowed the trail to; empty fields filter nothing.

    ``since`` is inclusive and ``until`` exclusive (both aware); ``person_id`` matches events
    the person did and events done to them; ``target`` is a ``(type, id)`` pair such as
    ``("meeting", "12")``.
    """

    action: str = ""
    person_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    target: tuple[str, str] | None = None

    def as_details(self) -> dict[str, Any]:
        """The filter as audit details (what an export covered)."""
        facts: dict[str, Any] = {
            "action": self.action,
            "person": self.person_id,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "target": ":".join(self.target) if self.target else None,
        }
        return {k: v for k, v in facts.items() if v not in (None, "")}


def _day(raw: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("audit.error.date", date=raw[:20]) from None


def parse_filter(
    session: Session,
    ctx: TenantContext,
    *,
    action: str = "",
    person: str = "",
    date_from: str = "",
    date_to: str = "",
    target: str = "",
) -> TrailFilter:
    """Check what a form sent and turn it into a filter.

    Dates are days (``YYYY-MM-DD``) in the reader's time zone; ``date_to`` includes its whole
    day. ``person`` must be a person of the caller's tenant; ``target`` is ``type:id``.

    Raises:
        InvalidInput: a malformed event code or date, or a range that ends before it starts.
        NotFound: a person of no (or another) tenant.
    """
    action = action.strip()
    if action and not CODE_RE.match(action):
        raise InvalidInput("audit.error.event")
    person_id = None
    if person.strip():
        person_id = get_scoped(session, ctx, User, person.strip()).id
    first, last = _day(date_from), _day(date_to)
    if first and last and last < first:
        raise InvalidInput("audit.error.range")
    zone = ZoneInfo(ctx.timezone)
    since = dt.datetime.combine(first, dt.time(), zone) if first else None
    try:
        until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone) if last else None
    except OverflowError:  # 9999-12-31: no day after it
        raise InvalidInput("audit.error.date", date=date_to) from None
    kind, _, target_id = target.partition(":")
    pair = (kind, target_id) if kind and target_id.isdigit() and target_key(kind) else None
    return TrailFilter(action, person_id, since, until, pair)


@dataclasses.dataclass(frozen=True)
class Person:
    """A user of the tenant as the trail names them."""

    id: int
    name: str
    email: str


@dataclasses.dataclass(frozen=True)
class EventView:
    """One event with names instead of ids.

    ``actor`` is the person who acted (None for guests, the platform operator, anonymous
    and system events: ``actor_label`` then says who it was); ``target_person`` is set when
    the target is a person of the tenant, ``target_name`` names any other target.
    """

    seq: int
    created_at: dt.datetime
    action: str
    actor: Person | None
    actor_label: str
    target_type: str
    target_id: str
    target_person: Person | None
    target_name: str
    details: dict[str, Any]


def _require_reader(ctx: TenantContext) -> None:
    if ctx.role not in ADMINS:
        raise AccessDenied()


def _query(ctx: TenantContext, wanted: TrailFilter) -> Any:
    query = scoped(ctx, AuditEvent)
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.person_id is not None:
        query = query.where(
            or_(
                col(AuditEvent.actor_id) == wanted.person_id,
                and_(
                    col(AuditEvent.target_type) == "user",
                    col(AuditEvent.target_id) == str(wanted.person_id),
                ),
            )
        )
    if wanted.since is not None:
        query = query.where(col(AuditEvent.created_at) >= wanted.since)
    if wanted.until is not None:
        query = query.where(col(AuditEvent.created_at) < wanted.until)
    if wanted.target is not None:
        query = query.where(
            col(AuditEvent.target_type) == wanted.target[0],
            col(AuditEvent.target_id) == wanted.target[1],
        )
    return query.order_by(col(AuditEvent.seq).desc())


def _ids(values: set[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


def _by_id(session: Session, ctx: TenantContext, model: Any, ids: set[int]) -> dict[int, Any]:
    """Rows of ``model`` with these ids, in the caller's tenant only (one query)."""
    if not ids:
        return {}
    return {r.id: r for r in session.exec(scoped(ctx, model).where(col(model.id).in_(ids)))}


@dataclasses.dataclass
class _Names:
    people: dict[int, Person]
    meetings: dict[int, str]
    teams: dict[int, str]
    participants: dict[str, str]
    tenants: dict[int, str]


def _resolve(session: Session, ctx: TenantContext, events: list[AuditEvent]) -> _Names:
    """Names for every id the events mention: one tenant-scoped query per kind."""
    targets: dict[str, set[str]] = {}
    for event in events:
        targets.setdefault(event.target_type, set()).add(event.target_id)
    person_ids = {e.actor_id for e in events if e.actor_id is not None}
    users = _by_id(session, ctx, User, person_ids | _ids(targets.get("user", set())))
    meetings = _by_id(session, ctx, Meeting, _ids(targets.get("meeting", set())))
    teams = _by_id(session, ctx, Team, _ids(targets.get("team", set())))
    keys = {str(e.details[k]) for e in events for k in PARTICIPANT_DETAILS if e.details.get(k)}
    participants = (
        {
            p.key: p.name
            for p in session.exec(
                scoped(ctx, MeetingParticipant).where(col(MeetingParticipant.key).in_(keys))
            )
        }
        if keys
        else {}
    )
    return _Names(
        people={i: Person(i, u.display_name, u.email) for i, u in users.items()},
        meetings={i: m.title for i, m in meetings.items()},
        teams={i: t.name for i, t in teams.items()},
        participants=participants,
        tenants=_tenant_names(session, ctx, _ids(targets.get("tenant", set()))),
    )


def _tenant_names(session: Session, ctx: TenantContext, ids: set[int]) -> dict[int, str]:
    """The reader's own organisation; the platform's operators (who manage every tenant,
    their trail is the platform's) also read the names of the tenants they acted on."""
    visible = ids if ctx.role == Role.SUPER_ADMIN else ids & {ctx.tenant_id}
    if not visible:
        return {}
    query = select(Tenant).where(col(Tenant.id).in_(visible))
    return {t.id: t.name for t in session.exec(query) if t.id is not None}


def _target_name(event: AuditEvent, names: _Names) -> str:
    """A readable name of a target that is not a person (the details keep what a deleted
    target was called)."""
    number = int(event.target_id) if event.target_id.isdigit() else -1
    details = event.details
    match event.target_type:
        case "meeting":
            return names.meetings.get(number, str(details.get("title", "")))
        case "team":
            return names.teams.get(number, str(details.get("name", "")))
        case "domain":
            return str(details.get("host", ""))
        case "mail":
            return str(details.get("to", ""))
        case "user":
            return str(details.get("email", ""))
        case "tenant":
            return names.tenants.get(number, str(details.get("name") or details.get("slug") or ""))
        case "mail_template":
            return event.target_id
    return ""


def _details(event: AuditEvent, names: _Names) -> dict[str, Any]:
    """The event's details, meeting participants named (their key stays alongside)."""
    details = dict(event.details)
    for key in PARTICIPANT_DETAILS:
        value = details.get(key)
        if value and str(value) in names.participants:
            details[key] = f"{names.participants[str(value)]} [{value}]"
    return details


def _view(event: AuditEvent, names: _Names) -> EventView:
    target_person = (
        names.people.get(int(event.target_id))
        if event.target_type == "user" and event.target_id.isdigit()
        else None
    )
    return EventView(
        seq=event.seq,
        created_at=event.created_at,
        action=event.action,
        actor=names.people.get(event.actor_id) if event.actor_id is not None else None,
        actor_label=event.actor_label,
        target_type=event.target_type,
        target_id=event.target_id,
        target_person=target_person,
        target_name="" if target_person else _target_name(event, names),
        details=_details(event, names),
    )


def list_trail(
    session: Session, ctx: TenantContext, wanted: TrailFilter, *, limit: int = PAGE_LIMIT
) -> list[EventView]:
    """The tenant's newest events matching ``wanted``, with names (admins only).

    Returns at most ``limit`` events; ask for one more to learn whether there are more.
    """
    _require_reader(ctx)
    events = list(session.exec(_query(ctx, wanted).limit(limit)).all())
    names = _resolve(session, ctx, events)
    return [_view(event, names) for event in events]


def list_people(session: Session, ctx: TenantContext) -> list[Person]:
    """The tenant's people by name (the person filter's choices; admins only)."""
    _require_reader(ctx)
    query = scoped(ctx, User).order_by(col(User.display_name), col(User.id))
    return [Person(u.id or 0, u.display_name, u.email) for u in session.exec(query)]


# --- words: how the page and the export name things ---------------------------------------


def event_name(code: str, lang: str) -> str:
    """The event ``code`` in words (the code itself when the catalog does not know it)."""
    key = event_key(code)
    return translate(lang, key) if key else code


def actor_name(view: EventView, lang: str) -> str:
    """Who acted: the person's name; a guest's or the operator's label; "anonymous" or
    "system" in words."""
    if view.actor is not None:
        return view.actor.name
    if view.actor_label in (ANONYMOUS, SYSTEM, ""):
        return translate(lang, f"audit.actor.{view.actor_label or SYSTEM}")
    return view.actor_label


def actor_account(view: EventView) -> str:
    """The acting account's address (or label), for telling two people of one name apart."""
    if view.actor is not None:
        return view.actor.email
    return "" if view.actor_label in (ANONYMOUS, SYSTEM) else view.actor_label


def target_kind(view: EventView, lang: str) -> str:
    """The kind of target in words ("Person", "Meeting" ...), or the raw type."""
    key = target_key(view.target_type)
    return translate(lang, key) if key else view.target_type


def target_label(view: EventView) -> str:
    """The target's name; its number when nothing names it any more."""
    if view.target_person is not None:
        return view.target_person.name
    if view.target_name:
        return view.target_name
    return f"#{view.target_id}" if view.target_id else ""


def details_text(details: dict[str, Any]) -> str:
    """The details as ``key=value; ...`` (sorted, for a stable export)."""
    return "; ".join(f"{key}={value}" for key, value in sorted(details.items()))
