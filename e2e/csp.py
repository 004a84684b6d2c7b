"""Collect the Content-Security-Policy violations a page reports, for e2e assertions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from playwright.sync_api import ConsoleMessage, Page

# Reports every violation to the console, where the watcher collects it (Chromium also logs
# its own line about what it refused, which the watcher collects as well).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
"""


@contextlib.contextmanager
def csp_watch(page: Page) -> Iterator[list[str]]:
    """The CSP violations ``page`` reports while the block runs (page loads included)."""
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            violations.append(f"{page.url}: {text}")

    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", on_console)
    try:
        yield violations
    finally:
        page.remove_listener("console", on_console)
