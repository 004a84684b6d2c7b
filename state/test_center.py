"""The test center: anyone checks browser, devices and network before a meeting.

The browser measures (assets/test_center.js); each finished step lands in its outbox and a
hidden button makes this state fetch it (``collect`` -> ``receive``), so a long network
check never blocks the page's event queue. app/services/test_center.py grades.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app.i18n import translate
from app.services import media_pass
from app.services import test_center as grading
from app.services.test_center import CheckResult
from state.guard import Visiting, visiting
from state.locale import LocaleState

Row = dict[str, str]
STUCK_RUN_SECONDS = 120  # a run that never reported back (page script gone) blocks no longer


def _row(result: CheckResult) -> Row:
    return {
        "check": result.check,
        "label": result.label_key,
        "status": result.status,
        "figure": result.figure,
        "advice": result.advice,
    }


def _fresh() -> dict[str, CheckResult]:
    return {c: grading.CheckResult(c, grading.PENDING) for c in grading.CHECKS} | {
        grading.SPEAKER: grading.grade_speaker(None)
    }


class TestCenterState(rx.State):
    """Verdicts per check (message keys; the page translates), and the support report."""

    rows: list[Row] = [_row(r) for r in _fresh().values()]
    running: bool = False
    overall: str = grading.PENDING
    report: str = ""
    error: str = ""
    _results: dict[str, CheckResult] = {}
    _environment: grading.Environment = grading.Environment()
    _errors: list[str] = []
    _runs: list[float] = []  # when this browser started its runs (epoch seconds)

    def _set(self, results: list[CheckResult]) -> None:
        if not self._results:
            self._results = _fresh()
        for result in results:
            self._results[result.check] = result
        self.rows = [_row(self._results[c]) for c in grading.CHECKS]
        self.overall = grading.overall(self._results)
        self.report = ""

    @rx.event
    @visiting
    def start(self, visit: Visiting) -> EventSpec | None:
        """Run every check (the speaker's needs the person, see play_sound)."""
        now = time.time()  # epoch, not monotonic: the state may move between backend workers
        if self.running and self._runs and now - self._runs[-1] < STUCK_RUN_SECONDS:
            return None
        self._runs = grading.admit_run(self._runs, now)
        try:
            config: dict[str, Any] | None = media_pass.issue_probe_pass().as_config()
        except media_pass.NoVideoServer:
            config = None
        speaker = (self._results or _fresh())[grading.SPEAKER]
        self._results = {}
        self._set(
            [CheckResult(c, grading.RUNNING) for c in grading.CHECKS if c != grading.SPEAKER]
            + [speaker]
        )
        if config is None:
            self._set(grading.network_failed("test.advice.no_node"))
        self.running = True
        return rx.call_script(
            f"window.consilioTest && window.consilioTest.run({json.dumps(config)})"
        )

    @rx.event
    def collect(self) -> EventSpec:
        """The browser finished a step: fetch what it measured."""
        return rx.call_script("window.consilioTest.take()", callback=TestCenterState.receive)

    @rx.event
    def receive(self, items: list[dict[str, Any]]) -> None:
        """Grade the steps the browser sent (untrusted: read defensively by the service)."""
        if not isinstance(items, list):
            return
        for item in items[:10]:
            if not isinstance(item, dict):
                continue
            check, data = item.get("check"), item.get("data")
            if check == "errors":
                self._errors = grading.console_errors(data)
                self.running = False
                continue
            if not isinstance(data, dict):
                continue
            if check == grading.BROWSER:
                self._environment = grading.Environment.read(data)
                self._set([grading.grade_browser(data)])
            elif check == grading.CAMERA:
                self._set([grading.grade_camera(data)])
            elif check == grading.MICROPHONE:
                self._set([grading.grade_microphone(data)])
            elif check == "network":
                self._set(grading.grade_network(data))

    @rx.event
    def play_sound(self) -> EventSpec:
        """Play the chime on the chosen speaker; the person then says whether they heard it."""
        return rx.call_script("window.consilioTest && window.consilioTest.playSound()")

    @rx.event
    def speaker_heard(self, heard: bool) -> None:
        """The person's answer after the chime."""
        self._set([grading.grade_speaker(bool(heard))])

    @rx.event
    async def make_report(self):  # type: ignore[no-untyped-def]
        """The plain-text report in the visitor's language, shown and copied to the clipboard."""
        lang = (await self.get_state(LocaleState)).lang or "en"
        results = [(self._results or _fresh())[c] for c in grading.CHECKS]
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.report = grading.compose_report(
            lambda key: translate(lang, key), results, self._environment, self._errors, when
        )
        return rx.set_clipboard(self.report)
