"""Start Consilio as `make dev` does (Reflex in prod mode on one port) for e2e and load tests.

The app runs on a free loopback port with its own database (SQLite by default), migrated and
seeded with the demo tenant; it is stopped (its whole process group) when the block ends. It
runs in dev mode with a random secret key of its own, as `make dev` writes them into .env;
``CONSILIO_ENVIRONMENT=production`` in ``extra_env`` runs it as in production (the demo data
is still seeded, by a dev-mode seeding step, so the tests can sign in).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text()[-4000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=5) as response,  # noqa: S310 (loopback)
        ):
            if response.status == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"app did not start within {timeout}s:\n{log.read_text()[-4000:]}")


@dataclasses.dataclass(frozen=True)
class RunningApp:
    """A started app: where it answers and the environment it runs with."""

    url: str
    env: dict[str, str]
    workdir: Path


def own_web_dir(root: Path, workdir: Path) -> dict[str, str]:
    """A frontend directory of this app's own (a copy of the project's, its packages shared).

    `reflex run` compiles the frontend with this app's port baked in; two apps sharing one
    `.web` (a test that starts a second app) would send the first one's pages to the second
    one's port. Before the project's `.web` exists, the first app creates it there.
    """
    shared = root / ".web"
    if not (shared / "node_modules").is_dir():
        return {}
    own = workdir / "web"
    shutil.copytree(shared, own, symlinks=True, ignore=shutil.ignore_patterns("node_modules"))
    (own / "node_modules").symlink_to(shared / "node_modules")
    return {"REFLEX_WEB_WORKDIR": str(own)}


@contextlib.contextmanager
def running_app(
    *,
    extra_env: dict[str, str] | None = None,
    seed_modules: tuple[str, ...] = (),
    port: int | None = None,
    root: Path = ROOT,
) -> Iterator[RunningApp]:
    """Yield a running, seeded Consilio (its URL ``http://127.0.0.1:<port>`` and settings).

    Args:
        extra_env: settings on top of the defaults (e.g. ``CONSILIO_REDIS_URL``).
        seed_modules: extra ``python -m`` seeding modules run after the demo seed.
        port: the port to serve on (default: a free one).
        root: the checkout to run (default: this one; benchmarks compare with another).
    """
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="consilio-app-"))
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CONSILIO_DATABASE_URL": f"sqlite:///{workdir / 'app.db'}",
        "CONSILIO_PORT": str(port),
        "CONSILIO_PUBLIC_URL": base,
        "CONSILIO_ENVIRONMENT": "dev",  # as `make dev`: the dev outbox, demo data
        "CONSILIO_SECRET_KEY": secrets.token_urlsafe(48),
        "PYTHONPATH": str(root),
        # Reflex needs Node >= 22 / bun: the project-local ones `make install` puts in .tools.
        "PATH": f"{root / '.tools' / 'node_modules' / '.bin'}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
    }
    env.pop("CONSILIO_REDIS_URL", None)
    env.update(extra_env or {})
    seeding = {**env, "CONSILIO_ENVIRONMENT": "dev", "CONSILIO_DEMO_DATA": "true"}
    for command in ("migrate", "seed"):
        subprocess.run(
            [sys.executable, "-m", "app.manage", command], cwd=root, env=seeding, check=True
        )
    for module in seed_modules:
        subprocess.run([sys.executable, "-m", module], cwd=root, env=seeding, check=True)
    env.update(own_web_dir(root, workdir))
    log = workdir / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(root / ".venv" / "bin" / "reflex"), "run", "--env", "prod"],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(f"{base}/t/demo/login", proc, log)
        yield RunningApp(url=base, env=env, workdir=workdir)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
