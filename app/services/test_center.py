"""The test center's verdicts: what the browser measured, graded pass / warn / fail with advice.

The browser (assets/test_center.js) measures; this module decides. Everything it gets comes
from an anonymous browser, so each figure is read defensively: a missing or malformed value
counts as "not measured", never as a pass.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

from app.services import rate_limits, turn

PASS, WARN, FAIL, PENDING, RUNNING = "pass", "warn", "fail", "pending", "running"
SKIPPED = "skipped"  # could not be tested this time (not the visitor's doing): not graded
# What the page says over all checks besides a verdict (PASS, WARN, FAIL): nothing yet
# (PENDING), some still measuring (CHECKING), only the speaker waits for the person's answer
# (AWAITING), no problem found but a check could not run (PARTIAL).
CHECKING, AWAITING, PARTIAL = "checking", "awaiting", "partial"

BROWSER, CAMERA, MICROPHONE, SPEAKER = "browser", "camera", "microphone", "speaker"
DIRECT, STUN, RELAY, BANDWIDTH, RTT, LOSS = "direct", "stun", "relay", "bandwidth", "rtt", "loss"
DEVICE_CHECKS = (BROWSER, CAMERA, MICROPHONE, SPEAKER)
NETWORK_CHECKS = (DIRECT, STUN, RELAY, BANDWIDTH, RTT, LOSS)
CHECKS = DEVICE_CHECKS + NETWORK_CHECKS
GRADED = (PASS, WARN, FAIL)
FINISHED = (*GRADED, SKIPPED)

RECOMMENDED_KBPS = 1000  # one video stream in a meeting
BANDWIDTH_WARN_KBPS = 500  # below: video only in low quality
RTT_PASS_MS, RTT_WARN_MS = 150, 300
LOSS_PASS_PERCENT, LOSS_WARN_PERCENT = 1.0, 5.0
MIC_SILENT_LEVEL = 0.02  # peak level (0..1) below which we heard nothing
CAMERA_SMALL_HEIGHT = 360

BROWSER_FEATURES = ("webrtc", "getUserMedia", "websocket", "audioContext")
DEVICE_ERRORS = ("denied", "missing", "busy")  # what the browser's getUserMedia error means
MAX_TEXT = 300
MAX_ERRORS = 20


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """One line of the test center: a check, its verdict, the figure behind it and advice
    (a message key with its parameters; empty when nothing needs doing)."""

    check: str
    status: str
    figure: str = ""
    advice: str = ""

    @property
    def label_key(self) -> str:
        """The message naming the check."""
        return "test.check_" + self.check

    @property
    def status_key(self) -> str:
        """The message naming the verdict."""
        return "test.status_" + self.status


def offered_checks(*, stun: bool | None = None, relay: bool | None = None) -> tuple[str, ...]:
    """The checks a visitor sees: STUN and relay only when the platform offers them.

    Whether the platform runs a STUN or TURN server is its operator's business, not the
    visitor's (a missing relay shows on the platform's health page): a line the visitor can
    do nothing about would only worry them.

    Args:
        stun: whether STUN servers are offered (default: as configured).
        relay: whether a TURN relay is offered (default: as configured).
    """
    stun = bool(turn.stun_servers()) if stun is None else stun
    relay = bool(turn.relay_urls()) if relay is None else relay
    return tuple(c for c in CHECKS if (c != STUN or stun) and (c != RELAY or relay))


def admit_run(client: str) -> None:
    """Let the browser at address ``client`` start one more run, or refuse.

    A run holds a media node and TURN credentials, so runs are counted per address (all its
    browsers and sockets together, on every backend worker), not per browser state, which a
    script renews at will.

    Raises:
        TooManyAttempts: ``test.too_many_*`` after CONSILIO_LIMIT_TEST_RUNS.
    """
    rate_limits.TEST_RUNS.take(rate_limits.address_key(client))


# --- reading what an anonymous browser sent ------------------------------------------------
def _section(data: Any, key: str) -> Mapping[str, Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _flag(data: Mapping[str, Any], key: str) -> bool:
    return data.get(key) is True


def _number(data: Mapping[str, Any], key: str, upper: float) -> float | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return value if 0 <= value <= upper else None


def text(data: Mapping[str, Any], key: str, limit: int = MAX_TEXT) -> str:
    """A string field, cut to ``limit`` and stripped of control characters ("" if absent)."""
    value = data.get(key)
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value[:limit] if ch.isprintable())


def _device_error(data: Mapping[str, Any]) -> str:
    error = text(data, "error", 40)
    return error if error in DEVICE_ERRORS else "other"


# --- devices ----------------------------------------------------------------------------------
def grade_browser(data: Mapping[str, Any]) -> CheckResult:
    """All of WebRTC, camera access, websockets and audio must be there."""
    missing = [f for f in BROWSER_FEATURES if not _flag(data, f)]
    if missing:
        return CheckResult(BROWSER, FAIL, ", ".join(missing), "test.advice.browser_unsupported")
    return CheckResult(BROWSER, PASS, text(data, "name", 60))


def grade_camera(data: Mapping[str, Any]) -> CheckResult:
    """A picture came; a small one (under 360 lines) is a warning."""
    if not _flag(data, "ok"):
        return CheckResult(CAMERA, FAIL, "", f"test.advice.camera_{_device_error(data)}")
    width = _number(data, "width", 10_000) or 0
    height = _number(data, "height", 10_000) or 0
    figure = f"{int(width)} x {int(height)}"
    if height < CAMERA_SMALL_HEIGHT:
        return CheckResult(CAMERA, WARN, figure, "test.advice.camera_small")
    return CheckResult(CAMERA, PASS, figure)


def grade_microphone(data: Mapping[str, Any]) -> CheckResult:
    """Access granted and some sound heard while the browser listened."""
    if not _flag(data, "ok"):
        return CheckResult(MICROPHONE, FAIL, "", f"test.advice.microphone_{_device_error(data)}")
    level = _number(data, "level", 1.0) or 0.0
    figure = f"{round(level * 100)} %"
    if level < MIC_SILENT_LEVEL:
        return CheckResult(MICROPHONE, WARN, figure, "test.advice.microphone_silent")
    return CheckResult(MICROPHONE, PASS, figure)


def grade_speaker(heard: bool | None) -> CheckResult:
    """Only the person can tell whether they heard the test sound."""
    if heard is None:
        return CheckResult(SPEAKER, PENDING, "", "test.advice.speaker_pending")
    if heard:
        return CheckResult(SPEAKER, PASS)
    return CheckResult(SPEAKER, FAIL, "", "test.advice.speaker_silent")


# --- network ----------------------------------------------------------------------------------
def _graded(
    check: str, value: float | None, figure: Callable[[float], str], worse: Callable[[float], str]
) -> CheckResult:
    if value is None:
        return CheckResult(check, FAIL, "", f"test.advice.{check}_none")
    status = worse(value)
    advice = "" if status == PASS else f"test.advice.{check}_{status}"
    return CheckResult(check, status, figure(value), advice)


def grade_network(data: Mapping[str, Any]) -> list[CheckResult]:
    """Direct path, STUN, relay, and the quality of the best path against one 1000 kbit/s
    stream. A blocked direct path only warns when the relay carries the meeting instead; a
    test that could not reach the node at all fails every line. STUN and relay get no line
    when the platform offers none (see offered_checks)."""
    if text(data if isinstance(data, Mapping) else {}, "error"):
        return network_failed("test.advice.network_unreachable")
    direct = _section(data, "direct")
    relay = _section(data, "relay")
    stun = _section(data, "stun")
    direct_ok, relay_ok = _flag(direct, "connected"), _flag(relay, "connected")
    results = []

    if direct_ok:
        results.append(CheckResult(DIRECT, PASS, _ms(_number(direct, "ms", 600_000))))
    elif relay_ok:
        results.append(CheckResult(DIRECT, WARN, "", "test.advice.direct_blocked_relay_ok"))
    else:
        results.append(CheckResult(DIRECT, FAIL, "", "test.advice.direct_blocked"))

    if _flag(stun, "offered"):
        results.append(_stun(stun, direct_ok=direct_ok))
    if _flag(relay, "offered"):
        results.append(_relay(relay, direct_ok=direct_ok))

    quality = _section(data, "quality")
    results.append(
        _graded(
            BANDWIDTH,
            _number(quality, "kbps", 1_000_000),
            lambda v: f"{round(v)} kbit/s",
            lambda v: PASS if v >= RECOMMENDED_KBPS else WARN if v >= BANDWIDTH_WARN_KBPS else FAIL,
        )
    )
    results.append(
        _graded(
            RTT,
            _number(quality, "rttMs", 600_000),
            lambda v: f"{round(v)} ms",
            lambda v: PASS if v <= RTT_PASS_MS else WARN if v <= RTT_WARN_MS else FAIL,
        )
    )
    results.append(
        _graded(
            LOSS,
            _number(quality, "lossPercent", 100),
            lambda v: f"{v:.1f} %",
            lambda v: PASS if v < LOSS_PASS_PERCENT else WARN if v < LOSS_WARN_PERCENT else FAIL,
        )
    )
    return results


def _stun(stun: Mapping[str, Any], *, direct_ok: bool) -> CheckResult:
    if _flag(stun, "srflx"):
        return CheckResult(STUN, PASS, text(stun, "address", 60))
    if direct_ok:  # no address translation in between, or nothing to learn: fine
        return CheckResult(STUN, PASS, "", "test.advice.stun_not_needed")
    return CheckResult(STUN, WARN, "", "test.advice.stun_none")


def _relay(relay: Mapping[str, Any], *, direct_ok: bool) -> CheckResult:
    if _flag(relay, "connected"):
        return CheckResult(RELAY, PASS, _ms(_number(relay, "ms", 600_000)))
    return CheckResult(RELAY, WARN if direct_ok else FAIL, "", "test.advice.relay_blocked")


def network_failed(reason: str) -> list[CheckResult]:
    """The network lines when the browser could not reach the video server at all: the
    connection fails (with ``reason``); what needs a connection was not measured."""
    return [
        CheckResult(check, FAIL, "", reason) if check == DIRECT else CheckResult(check, SKIPPED)
        for check in NETWORK_CHECKS
    ]


def network_skipped(reason: str) -> list[CheckResult]:
    """Every network line when the platform could not offer a test right now (no video
    server, its quota of tests used up): not graded, and the reason said once."""
    return [
        CheckResult(check, SKIPPED, "", reason if check == DIRECT else "")
        for check in NETWORK_CHECKS
    ]


def unfinished(results: Mapping[str, CheckResult]) -> list[CheckResult]:
    """The checks still running when the browser said its run ended (a step crashed or
    the page was left): not tested, with the advice to run the test again."""
    return [
        CheckResult(r.check, SKIPPED, "", "test.advice.unfinished")
        for r in results.values()
        if r.status == RUNNING
    ]


def _ms(value: float | None) -> str:
    return "" if value is None else f"{round(value)} ms"


def overall(results: Mapping[str, CheckResult]) -> str:
    """What the page says over all checks: a verdict only once every check has finished.

    While any check runs: CHECKING. When only the speaker waits for the person's answer:
    AWAITING. Before a run: PENDING. Then the worst verdict (FAIL, WARN); PARTIAL when
    nothing is wrong but a check could not be run; PASS when everything passed.
    """
    statuses = [r.status for r in results.values()]
    if RUNNING in statuses:
        return CHECKING
    waiting = [r.check for r in results.values() if r.status == PENDING]
    if waiting == [SPEAKER] and any(s in FINISHED for s in statuses):
        return AWAITING
    if waiting or not statuses:
        return PENDING
    for status in (FAIL, WARN):
        if status in statuses:
            return status
    return PARTIAL if SKIPPED in statuses else PASS


def progress(results: Mapping[str, CheckResult]) -> tuple[int, int]:
    """(finished, all) checks of a run, for "3 / 10" while it runs."""
    return sum(r.status in FINISHED for r in results.values()), len(results)


def console_errors(data: Any) -> list[str]:
    """The browser's console errors the report carries (bounded)."""
    if not isinstance(data, list):
        return []
    return [e[:MAX_TEXT] for e in data[:MAX_ERRORS] if isinstance(e, str)]


@dataclasses.dataclass(frozen=True)
class Environment:
    """What support needs to know about the tested browser and device."""

    user_agent: str = ""
    platform: str = ""
    screen: str = ""
    language: str = ""
    timezone: str = ""
    devices: str = ""  # e.g. "2 cameras, 1 microphone, 2 speakers"

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Environment:
        """From the browser check's section (untrusted, bounded)."""
        return cls(
            user_agent=text(data, "userAgent"),
            platform=text(data, "platform", 60),
            screen=text(data, "screen", 30),
            language=text(data, "language", 30),
            timezone=text(data, "timezone", 60),
            devices=text(data, "devices", 120),
        )


def compose_report(
    translate: Callable[[str], str],
    results: list[CheckResult],
    environment: Environment,
    errors: list[str],
    when: str,
) -> str:
    """The plain-text report a person copies for support: browser, device, time, each result
    with figure and advice, console errors."""
    lines = [
        translate("test.report_title"),
        f"{translate('test.report_time')}: {when}",
        f"{translate('test.report_browser')}: {environment.user_agent}",
        f"{translate('test.report_device')}: "
        + ", ".join(
            v for v in (environment.platform, environment.screen, environment.devices) if v
        ),
        f"{translate('test.report_language')}: {environment.language} {environment.timezone}",
        "",
    ]
    for result in results:
        line = f"[{translate(result.status_key)}] {translate(result.label_key)}"
        if result.figure:
            line += f": {result.figure}"
        lines.append(line)
        if result.advice:
            lines.append("    " + translate(result.advice))
    lines += ["", f"{translate('test.report_errors')}: {len(errors)}"]
    lines += [f"  {e}" for e in errors]
    return "\n".join(lines)
