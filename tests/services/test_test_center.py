"""The test center's verdicts: what a browser measured, graded with advice; the support
report (how often an address may run the test: tests/services/test_rate_limits.py)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from app.i18n import translate
from app.services import test_center as tc


def network(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "direct": {"connected": True, "ms": 240},
        "stun": {"offered": True, "srflx": True, "address": "198.51.100.7"},
        "relay": {"offered": True, "connected": True, "ms": 650},
        "quality": {"kbps": 1450.4, "rttMs": 38, "lossPercent": 0.2},
    }
    data.update(overrides)
    return data


def by_check(results: list[tc.CheckResult]) -> dict[str, tc.CheckResult]:
    return {r.check: r for r in results}


def test_good_network_passes_every_line_with_its_figure() -> None:
    results = by_check(tc.grade_network(network()))
    assert {r.status for r in results.values()} == {tc.PASS}
    assert results["bandwidth"].figure == "1450 kbit/s"
    assert results["rtt"].figure == "38 ms"
    assert results["loss"].figure == "0.2 %"
    assert results["stun"].figure == "198.51.100.7"


def test_blocked_direct_path_only_warns_when_the_relay_carries_the_meeting() -> None:
    results = by_check(tc.grade_network(network(direct={"connected": False})))
    assert results["direct"].status == tc.WARN
    assert results["direct"].advice == "test.advice.direct_blocked_relay_ok"
    assert results["relay"].status == tc.PASS


def test_no_path_at_all_fails_direct_and_relay() -> None:
    data = network(direct={"connected": False}, relay={"offered": True, "connected": False})
    results = by_check(tc.grade_network(data))
    assert results["direct"].status == results["relay"].status == tc.FAIL
    assert results["stun"].status == tc.PASS  # the address was learned; the path is blocked


def test_missing_stun_answer_is_fine_when_the_direct_path_works() -> None:
    results = by_check(tc.grade_network(network(stun={"offered": True, "srflx": False})))
    assert (results["stun"].status, results["stun"].advice) == (
        tc.PASS,
        "test.advice.stun_not_needed",
    )
    blocked = network(stun={"offered": True}, direct={"connected": False})
    assert by_check(tc.grade_network(blocked))["stun"].status == tc.WARN


def test_platform_without_relay_says_so() -> None:
    results = by_check(tc.grade_network(network(relay={"offered": False})))
    assert (results["relay"].status, results["relay"].advice) == (
        tc.PASS,
        "test.advice.relay_not_offered",
    )


@pytest.mark.parametrize(
    ("quality", "check", "status"),
    [
        ({"kbps": 1000}, "bandwidth", tc.PASS),
        ({"kbps": 999}, "bandwidth", tc.WARN),
        ({"kbps": 499}, "bandwidth", tc.FAIL),
        ({"rttMs": 150}, "rtt", tc.PASS),
        ({"rttMs": 151}, "rtt", tc.WARN),
        ({"rttMs": 301}, "rtt", tc.FAIL),
        ({"lossPercent": 0.99}, "loss", tc.PASS),
        ({"lossPercent": 1.0}, "loss", tc.WARN),
        ({"lossPercent": 5.0}, "loss", tc.FAIL),
    ],
)
def test_quality_thresholds(quality: dict[str, float], check: str, status: str) -> None:
    base = {"kbps": 1200, "rttMs": 20, "lossPercent": 0}
    result = by_check(tc.grade_network(network(quality={**base, **quality})))[check]
    assert result.status == status
    assert bool(result.advice) == (status != tc.PASS)


@pytest.mark.parametrize("value", ["1200", -5, math.nan, math.inf, True, None, 10**9])
def test_malformed_figures_count_as_not_measured_never_as_a_pass(value: object) -> None:
    data = network(quality={"kbps": value, "rttMs": value, "lossPercent": value})
    results = by_check(tc.grade_network(data))
    for check in ("bandwidth", "rtt", "loss"):
        assert results[check].status == tc.FAIL
        assert results[check].advice == f"test.advice.{check}_none"


def test_network_check_that_never_reached_the_node_fails_every_line() -> None:
    results = tc.grade_network(network(error="signaling unreachable"))
    assert {(r.status, r.advice) for r in results} == {(tc.FAIL, "test.advice.network_unreachable")}
    assert {r.check for r in results} == set(tc.NETWORK_CHECKS)


def test_garbage_instead_of_sections_fails_safely() -> None:
    results = tc.grade_network({"direct": "yes", "relay": [1], "quality": 7})
    assert {r.status for r in results} <= {tc.FAIL, tc.WARN}


@pytest.mark.parametrize(
    ("data", "status", "advice"),
    [
        ({"ok": True, "width": 1280, "height": 720}, tc.PASS, ""),
        ({"ok": True, "width": 320, "height": 240}, tc.WARN, "test.advice.camera_small"),
        ({"ok": False, "error": "denied"}, tc.FAIL, "test.advice.camera_denied"),
        ({"ok": False, "error": "missing"}, tc.FAIL, "test.advice.camera_missing"),
        ({"ok": False, "error": "<script>"}, tc.FAIL, "test.advice.camera_other"),
        ({"ok": "true"}, tc.FAIL, "test.advice.camera_other"),
    ],
)
def test_camera_verdicts(data: dict[str, Any], status: str, advice: str) -> None:
    result = tc.grade_camera(data)
    assert (result.status, result.advice) == (status, advice)


def test_silent_microphone_warns_and_a_heard_one_passes() -> None:
    assert tc.grade_microphone({"ok": True, "level": 0.001}).status == tc.WARN
    assert tc.grade_microphone({"ok": True, "level": 0.4}).figure == "40 %"
    assert tc.grade_microphone({"ok": False, "error": "busy"}).advice == (
        "test.advice.microphone_busy"
    )


def test_browser_without_webrtc_fails_and_names_what_is_missing() -> None:
    full = {"webrtc": True, "getUserMedia": True, "websocket": True, "audioContext": True}
    assert tc.grade_browser({**full, "name": "Firefox 140"}).figure == "Firefox 140"
    result = tc.grade_browser({**full, "webrtc": False})
    assert (result.status, result.figure) == (tc.FAIL, "webrtc")


def test_speaker_needs_the_persons_answer() -> None:
    assert tc.grade_speaker(None).status == tc.PENDING
    assert tc.grade_speaker(True).status == tc.PASS
    assert tc.grade_speaker(False).advice == "test.advice.speaker_silent"


def test_overall_is_the_worst_verdict_of_the_checks_that_ran() -> None:
    results = {c: tc.CheckResult(c, tc.PENDING) for c in tc.CHECKS}
    assert tc.overall(results) == tc.PENDING
    results["camera"] = tc.CheckResult("camera", tc.PASS)
    assert tc.overall(results) == tc.PASS
    results["rtt"] = tc.CheckResult("rtt", tc.WARN)
    assert tc.overall(results) == tc.WARN
    results["relay"] = tc.CheckResult("relay", tc.FAIL)
    assert tc.overall(results) == tc.FAIL


def test_every_advice_and_label_has_a_message_in_every_language() -> None:
    keys = {f"test.check_{c}" for c in tc.CHECKS} | {
        f"test.status_{s}" for s in (tc.PASS, tc.WARN, tc.FAIL, tc.PENDING, tc.RUNNING)
    }
    samples = [
        *tc.grade_network(network(direct={"connected": False}, relay={"offered": False})),
        *tc.grade_network({}),
        *tc.network_failed("test.advice.no_node"),
        tc.grade_camera({"ok": False, "error": "busy"}),
        tc.grade_microphone({"ok": True, "level": 0}),
        tc.grade_browser({}),
        tc.grade_speaker(None),
    ]
    keys |= {r.advice for r in samples if r.advice}
    for lang in ("de", "en", "fr", "it", "es"):
        for key in keys:
            assert translate(lang, key) != key, (lang, key)


def test_report_carries_browser_device_time_results_advice_and_console_errors() -> None:
    environment = tc.Environment.read(
        {
            "userAgent": "Mozilla/5.0 Test\x07Browser",
            "platform": "Windows",
            "screen": "1920x1080",
            "language": "de-CH",
            "timezone": "Europe/Zurich",
            "devices": "cameras 1, microphones 2, speakers 1",
        }
    )
    results = [tc.grade_camera({"ok": False, "error": "denied"}), *tc.grade_network(network())]
    errors = tc.console_errors(["TypeError: x is undefined", 42, "y" * 1000])
    report = tc.compose_report(
        lambda key: translate("en", key), results, environment, errors, "2026-11-22 10:00 UTC"
    )
    assert "Time: 2026-11-22 10:00 UTC" in report
    assert "Browser: Mozilla/5.0 TestBrowser" in report  # control characters dropped
    assert "Device: Windows, 1920x1080, cameras 1, microphones 2, speakers 1" in report
    assert "[Problem] Camera" in report
    assert "Allow camera access for this site" in report
    assert "[OK] Bandwidth: 1450 kbit/s" in report
    assert "Console errors: 2" in report and "TypeError: x is undefined" in report
    assert "y" * 301 not in report
