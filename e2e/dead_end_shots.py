"""Screenshots at the sizes the "no dead ends" pages were checked at: phone and laptop."""

from __future__ import annotations

from playwright.sync_api import Page

from e2e.conftest import ARTIFACTS, PHONE

LAPTOP = {"width": 1366, "height": 768}


def phone_and_laptop(page: Page, name: str) -> None:
    """Save the whole page at phone (390x844) and laptop (1366x768) size."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or LAPTOP
    for label, size in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)
