"""Every event code the code base writes to the audit trail has a name in all five languages,
so the trail never shows a raw code such as "tenant.asset_removed" to a compliance officer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.i18n import LANGUAGES, catalog
from app.services.audit_trail import CODE_RE, EVENT_KEY_PREFIX, known_events

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("app", "state", "workers", "media_nodes")
# Writers and the position of the event code among their arguments
# (session, context, code, ...).
WRITERS = {"record": 2, "audit_event": 2}


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value
        if func.attr == "record" and not (isinstance(owner, ast.Name) and owner.id == "audit"):
            return ""  # some other object's record()
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def written_codes() -> set[str]:
    """The event codes passed as string literals to ``audit.record`` / ``audit_event``
    (both branches of a conditional included)."""
    codes: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                position = WRITERS.get(_called(node))
                if position is None or len(node.args) <= position:
                    continue
                for part in ast.walk(node.args[position]):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        codes.add(part.value)
    return codes


def test_the_scan_finds_the_writers() -> None:
    codes = written_codes()
    assert {"user.invited", "tenant.asset_removed", "meeting.locked", "meeting.unlocked"} <= codes
    assert all(CODE_RE.match(code) for code in codes), sorted(codes)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_written_event_has_a_name(lang: str) -> None:
    missing = sorted(c for c in written_codes() if EVENT_KEY_PREFIX + c not in catalog(lang))
    assert not missing, f"name these events in {lang}.json ({EVENT_KEY_PREFIX}<code>): {missing}"


def test_named_events_are_written_somewhere() -> None:
    stale = sorted(set(known_events()) - written_codes())
    assert not stale, f"no code writes these events any more: {stale}"
