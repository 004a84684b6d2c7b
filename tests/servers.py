"""Real servers for the test session: PostgreSQL, Redis and coturn on free loopback ports.

Each starts from the installed binaries in a temporary directory and is stopped at the end,
so tests need nothing left on the machine. TEST_DATABASE_URL / TEST_REDIS_URL point the
tests at servers that already run instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from media_nodes.turn_config import render

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start within {timeout}s")


def missing(binary: str, package: str) -> RuntimeError:
    """The error for a server binary that is not installed (`make test` installs it)."""
    return RuntimeError(
        f"{binary} not found: install the Debian package '{package}' (make test does this as root)"
    )


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster; yields its SQLAlchemy URL."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    if not PG_BIN_DIRS:
        raise missing("initdb", "postgresql")
    bindir = PG_BIN_DIRS[0]
    workdir = Path(tempfile.mkdtemp(prefix="consilio-pg-"))
    datadir = workdir / "data"
    port = free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_postgres,
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            *as_postgres,
            str(bindir / "postgres"),
            "-D",
            str(datadir),
            "-p",
            str(port),
            "-h",
            "127.0.0.1",
            "-k",
            str(workdir),
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        for _ in range(50):
            probe = subprocess.run(
                [
                    str(bindir / "psql"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "-c",
                    "CREATE DATABASE consilio_test",
                ],
                capture_output=True,
                text=True,
            )
            if probe.returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"could not create test database: {probe.stderr}")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/consilio_test"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throw-away Redis without persistence; yields its URL."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise missing("redis-server", "redis-server")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="consilio-redis-")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def coturn(profile: str) -> Iterator[int]:
    """turnserver with the ``profile`` configuration on 127.0.0.1; yields its port."""
    binary = shutil.which("turnserver")
    if binary is None:
        raise missing("turnserver", "coturn")
    port = free_port()
    relay_base = free_port()
    folder = Path(tempfile.mkdtemp(prefix=f"consilio-turn-{profile}-"))
    config = folder / "turnserver.conf"
    config.write_text(
        render(
            profile,
            port=port,
            listening_ip="127.0.0.1",
            relay_ip="127.0.0.1",
            min_port=relay_base,
            max_port=relay_base + 50,
            state_dir=str(folder),
        )
    )
    log = (folder / "turn.log").open("wb")
    proc = subprocess.Popen([binary, "-c", str(config)], stdout=log, stderr=log)
    try:
        time.sleep(0.5)
        if proc.poll() is not None:
            raise RuntimeError((folder / "turn.log").read_text()[-2000:])
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
