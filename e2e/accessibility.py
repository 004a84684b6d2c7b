"""axe-core (from the npm registry, in .tools) run on a page as the e2e suite sees it.

WCAG 2.2 AA rules; a serious or critical violation fails the test with what, where and why.
The script is evaluated through the DevTools protocol, so the page's CSP stays as served.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent.parent / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


@functools.cache
def _axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError("axe-core missing: `make e2e` installs it into .tools")
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.2 AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source() + "\n;0")
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(found: list[dict[str, Any]]) -> str:
    """One readable paragraph per violation: rule, impact, help and the first elements."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> None:
    """Fail when axe-core finds a serious or critical violation on the page."""
    found = violations(page)
    assert not found, f"accessibility violations on {where}:\n{describe(found)}"
