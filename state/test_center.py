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
from app.services.rate_limits import TooManyAttempts
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


def _fresh(checks: tuple[str, ...] = grading.CHECKS) -> dict[str, CheckResult]:
    return {c: grading.CheckResult(c, grading.PENDING) for c in checks} | {
        grading.SPEAKER: grading.grade_speaker(None)
    }


def _offered(config: dict[str, Any] | None) -> tuple[str, ...]:
    """The checks of a run: STUN and relay lines only for servers the probe pass offers."""
    if config is None:
        return grading.offered_checks()
    return grading.offered_checks(
        stun=bool(config.get("stunServers")), relay=bool(config.get("turnServers"))
    )


class TestCenterState(rx.State):
    """Verdicts per check (message keys; the page translates), and the support report."""

    # The lines this platform offers (prepare sets them again on each visit).
    rows: list[Row] = [_row(r) for r in _fresh(grading.offered_checks()).values()]
    running: bool = False
    overall: str = grading.PENDING
    finished: int = 0  # checks of the current run that have finished ...
    total: int = 0  # ... of this many
    report: str = ""
    error: str = ""
    _checks: tuple[str, ...] = ()  # the lines this run shows (see grading.offered_checks)
    _results: dict[str, CheckResult] = {}
    _environment: grading.Environment = grading.Environment()
    _errors: list[str] = []
    _started: float = 0.0  # when this browser started its last run (epoch seconds)

    def _set(self, results: list[CheckResult]) -> None:
        if not self._checks:
            self._checks = grading.offered_checks()
        if not self._results:
            self._results = _fresh(self._checks)
        for result in results:
            if result.check in self._checks:
                self._results[result.check] = result
        self.rows = [_row(self._results[c]) for c in self._checks]
        self.overall = grading.overall(self._results)
        self.finished, self.total = grading.progress(self._results)
        self.report = ""

    @rx.event
    def prepare(self) -> None:
        """on_load: the lines this platform can test, before the first run."""
        if not self.running and not self._results:
            self._checks = grading.offered_checks()
            self.rows = [_row(r) for r in _fresh(self._checks).values()]

    @rx.event
    @visiting
    def start(self, visit: Visiting) -> EventSpec | None:
        """Run every check (the speaker's needs the person, see play_sound)."""
        now = time.time()  # epoch, not monotonic: the state may move between backend workers
        if self.running and now - self._started < STUCK_RUN_SECONDS:
            return None
        grading.admit_run(visit.caller.client)
        self._started = now
        no_network = ""
        config: dict[str, Any] | None = None
        try:
            config = media_pass.issue_probe_pass().as_config()
        except media_pass.NoVideoServer:  # the platform's health page shows it, not the visitor
            no_network = "test.advice.network_later"
        except TooManyAttempts as busy:  # the platform's quota: the devices are still checked
            no_network = "test.advice.busy"
            self.error = visit.text(busy.key, **busy.params)
        speaker = (self._results or _fresh())[grading.SPEAKER]
        self._results = {}
        self._checks = _offered(config)
        self._set(
            [CheckResult(c, grading.RUNNING) for c in self._checks if c != grading.SPEAKER]
            + [speaker]
        )
        if no_network:
            self._set(grading.network_skipped(no_network))
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
            if check == "errors":  # the browser's run has ended
                self._errors = grading.console_errors(data)
                self._set(grading.unfinished(self._results))
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
        checks = self._checks or grading.offered_checks()
        results = [(self._results or _fresh(checks))[c] for c in checks]
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.report = grading.compose_report(
            lambda key: translate(lang, key), results, self._environment, self._errors, when
        )
        return rx.set_clipboard(self.report)
