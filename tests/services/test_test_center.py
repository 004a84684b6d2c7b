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


def test_a_platform_without_relay_or_stun_gives_the_visitor_no_line_about_it() -> None:
    data = network(relay={"offered": False}, stun={"offered": False})
    results = by_check(tc.grade_network(data))
    assert set(results) == {"direct", "bandwidth", "rtt", "loss"}
    assert {r.status for r in results.values()} == {tc.PASS}
    assert tc.offered_checks(stun=False, relay=False) == (
        "browser",
        "camera",
        "microphone",
        "speaker",
        "direct",
        "bandwidth",
        "rtt",
        "loss",
    )


def test_without_relay_a_blocked_direct_path_is_the_visitors_network_problem() -> None:
    data = network(direct={"connected": False}, relay={"offered": False}, stun={"offered": False})
    results = by_check(tc.grade_network(data))
    assert (results["direct"].status, results["direct"].advice) == (
        tc.FAIL,
        "test.advice.direct_blocked",
    )
    assert "relay" not in results


def test_offered_checks_follow_the_configured_relay(configure: Any) -> None:
    configure(turn_urls="")
    assert "relay" not in tc.offered_checks() and "stun" not in tc.offered_checks()
    configure(turn_urls="turn:turn.example.com:3478?transport=udp")
    assert tc.offered_checks() == tc.CHECKS


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


def test_network_check_that_never_reached_the_node_fails_the_connection_once() -> None:
    results = by_check(tc.grade_network(network(error="signaling unreachable")))
    assert (results["direct"].status, results["direct"].advice) == (
        tc.FAIL,
        "test.advice.network_unreachable",
    )
    assert set(results) == set(tc.NETWORK_CHECKS)
    assert {(r.status, r.advice) for c, r in results.items() if c != "direct"} == {(tc.SKIPPED, "")}
    assert tc.overall(run(speaker=tc.PASS) | results) == tc.FAIL


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


def run(**statuses: str) -> dict[str, tc.CheckResult]:
    """A run where every check passed, but for ``statuses``."""
    results = {c: tc.CheckResult(c, tc.PASS) for c in tc.CHECKS}
    results.update({c: tc.CheckResult(c, s) for c, s in statuses.items()})
    return results


def test_no_verdict_while_any_check_is_still_running() -> None:
    running = dict.fromkeys(tc.NETWORK_CHECKS, tc.RUNNING)
    assert tc.overall(run(**running, speaker=tc.PENDING)) == tc.CHECKING
    assert tc.overall(run(camera=tc.FAIL, loss=tc.RUNNING)) == tc.CHECKING
    assert tc.progress(run(**running, speaker=tc.PENDING)) == (3, 10)


def test_verdict_waits_for_the_speaker_answer_then_is_the_worst_line() -> None:
    assert tc.overall(run(speaker=tc.PENDING)) == tc.AWAITING
    assert tc.overall(run(speaker=tc.PENDING, rtt=tc.FAIL)) == tc.AWAITING
    assert tc.overall(run()) == tc.PASS
    assert tc.overall(run(rtt=tc.WARN)) == tc.WARN
    assert tc.overall(run(rtt=tc.WARN, relay=tc.FAIL)) == tc.FAIL


def test_before_a_run_there_is_no_verdict() -> None:
    fresh = {c: tc.CheckResult(c, tc.PENDING) for c in tc.CHECKS}
    assert tc.overall(fresh) == tc.PENDING
    assert tc.overall(fresh | {"speaker": tc.CheckResult("speaker", tc.PASS)}) == tc.PENDING


def test_network_test_the_platform_could_not_offer_is_skipped_not_failed() -> None:
    skipped = by_check(tc.network_skipped("test.advice.network_later"))
    assert {r.status for r in skipped.values()} == {tc.SKIPPED}
    assert skipped["direct"].advice == "test.advice.network_later"
    assert skipped["loss"].advice == ""
    results = run(speaker=tc.PASS) | skipped
    assert tc.overall(results) == tc.PARTIAL
    assert tc.overall(results | {"camera": tc.CheckResult("camera", tc.WARN)}) == tc.WARN


def test_checks_still_running_when_the_browser_ends_its_run_become_skipped() -> None:
    left = tc.unfinished(run(loss=tc.RUNNING, rtt=tc.RUNNING, speaker=tc.PENDING))
    assert {(r.check, r.status, r.advice) for r in left} == {
        ("rtt", tc.SKIPPED, "test.advice.unfinished"),
        ("loss", tc.SKIPPED, "test.advice.unfinished"),
    }


def test_every_advice_and_label_has_a_message_in_every_language() -> None:
    keys = {f"test.check_{c}" for c in tc.CHECKS} | {
        f"test.status_{s}" for s in (tc.PASS, tc.WARN, tc.FAIL, tc.PENDING, tc.RUNNING, tc.SKIPPED)
    }
    keys |= {
        f"test.overall_{s}"
        for s in (tc.PASS, tc.WARN, tc.FAIL, tc.CHECKING, tc.AWAITING, tc.PARTIAL)
    }
    samples = [
        *tc.grade_network(network(direct={"connected": False}, relay={"offered": False})),
        *tc.grade_network({}),
        *tc.network_failed("test.advice.network_unreachable"),
        *tc.network_skipped("test.advice.network_later"),
        *tc.unfinished({"rtt": tc.CheckResult("rtt", tc.RUNNING)}),
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
