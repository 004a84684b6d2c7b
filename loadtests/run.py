"""`make loadtest`: start Consilio on loopback, run the Locust scenario headless, summarise.

The run is bounded (users, spawn rate, duration; Locust stops by itself) and sends traffic
only to 127.0.0.1. The summary (requests/s, p50/p95/p99, errors per step and in total) is
printed and written to artifacts/loadtest/summary.md next to Locust's CSV files.

    python -m loadtests.run --users 20 --spawn-rate 5 --duration 60s [--redis]

With ``--redis`` the app runs its state manager and broker on a Redis server this run
starts itself (as production does); without, on the embedded default.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.app_server import ROOT, running_app
from tests.servers import redis_server

OUT = ROOT / "artifacts" / "loadtest"


def summarise(stats_csv: Path) -> str:
    """A Markdown table of Locust's per-step stats (and the aggregate row)."""
    lines = [
        "| step | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] else "**all**"
            lines.append(
                f"| {name} | {row['Request Count']} | {row['Failure Count']} "
                f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
                f"| {row['99%']} | {float(row['Max Response Time']):.0f} |"
            )
    return "\n".join(lines)


@contextlib.contextmanager
def _maybe_redis(enabled: bool) -> Iterator[dict[str, str]]:
    if not enabled:
        yield {}
        return
    with redis_server() as url:
        yield {"CONSILIO_REDIS_URL": url}


def main(argv: list[str] | None = None) -> int:
    """Run the load test; the exit code is Locust's (non-zero when any step failed)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--redis", action="store_true")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    prefix = OUT / "consilio"
    with _maybe_redis(args.redis) as redis_env, running_app(extra_env=redis_env) as app:
        print(f"load test: {args.users} users for {args.duration} against {app.url}", flush=True)
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "loadtests" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.duration,
                "--stop-timeout",
                "10",
                "--host",
                app.url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
    backend = "Redis" if args.redis else "embedded (SQLite, in-process)"
    table = summarise(Path(f"{prefix}_stats.csv"))
    summary = (
        f"# Load test\n\n{args.users} users, spawn rate {args.spawn_rate}/s, "
        f"{args.duration}, backend: {backend}\n\n{table}\n"
    )
    (OUT / "summary.md").write_text(summary)
    print(summary)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
