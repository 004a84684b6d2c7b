"""Web app, worker and media node refuse to start outside dev mode with the published default
secret key or a short one, started as the Procfile starts them (and coturn's configuration is
not rendered); `make seed` refuses the demo accounts (published password) outside dev mode;
`make dev` writes a key of its own."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app.manage import write_dev_env
from app.services import keys
from app.settings import DEV_SECRET_KEY, Settings
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
WEB = [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod"]
WORKER = [sys.executable, "-m", "workers.run"]
MEDIA_NODE = [sys.executable, "-m", "media_nodes"]
TURN_CONFIG = [sys.executable, "-m", "media_nodes.turn_config", "production"]
UNSAFE_KEYS = {"published default": DEV_SECRET_KEY, "short": "s3cret-but-only-25-bytes!"}


def _env(**settings: str) -> dict[str, str]:
    """The environment of a production host (explicit, so a developer's .env cannot leak in)."""
    workdir = Path(tempfile.mkdtemp(prefix="consilio-start-"))
    port = str(free_port())
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "CONSILIO_ENVIRONMENT": "production",
        "CONSILIO_PREVIOUS_SECRET_KEYS": "",
        "CONSILIO_DATABASE_URL": f"sqlite:///{workdir / 'app.db'}",
        "CONSILIO_PORT": port,
        "CONSILIO_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "CONSILIO_MEDIA_PORT": str(free_port()),
        "CONSILIO_MEDIA_ICE_ADDRESSES": "127.0.0.1",
        "CONSILIO_MEDIA_EVENTS_URL": "off",
    }
    env.pop("CONSILIO_REDIS_URL", None)
    env.update(settings)
    return env


def _project_copy() -> Path:
    """A folder to run `reflex run` in, so the .web and reflex.lock it writes are its own."""
    folder = Path(tempfile.mkdtemp(prefix="consilio-web-"))
    for name in ("rxconfig.py", "app", "components", "state", "assets"):
        (folder / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "reflex.lock", folder / "reflex.lock")
    return folder


def _run(command: list[str], env: dict[str, str], timeout: float = 300) -> tuple[int, str]:
    """Run ``command`` until it exits (in its own process group, stopped if it overstays)."""
    cwd = _project_copy() if command == WEB else ROOT
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        pytest.fail(f"{command[-1]} started with an unsafe key:\n{output.decode()[-3000:]}")
    finally:
        if cwd != ROOT:
            shutil.rmtree(cwd, ignore_errors=True)
    return proc.returncode, output.decode(errors="replace")


@pytest.mark.parametrize("key", UNSAFE_KEYS.values(), ids=UNSAFE_KEYS.keys())
@pytest.mark.parametrize(
    "command",
    [WORKER, MEDIA_NODE, TURN_CONFIG, WEB],
    ids=["worker", "media node", "coturn config", "web app"],
)
def test_process_refuses_to_start_in_production_with_an_unsafe_secret_key(
    command: list[str], key: str
) -> None:
    code, output = _run(command, _env(CONSILIO_SECRET_KEY=key))
    assert code != 0
    assert "Consilio refuses to start" in output and "CONSILIO_SECRET_KEY" in output
    assert "secrets.token_urlsafe" in output  # how to generate a key


def test_worker_starts_in_production_with_a_random_key() -> None:
    env = _env(CONSILIO_SECRET_KEY=secrets.token_urlsafe(48), CONSILIO_LOG_LEVEL="INFO")
    proc = subprocess.Popen(WORKER, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        assert "jobs run inside the web process" in proc.stderr.readline()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_unsafe_keys_are_named_and_dev_mode_accepts_the_default() -> None:
    good = secrets.token_urlsafe(48)
    assert keys.unsafe_secret_key_reason(Settings(environment="dev")) is None
    assert keys.unsafe_secret_key_reason(Settings(secret_key=good)) is None
    for settings, variable in [
        (Settings(secret_key=DEV_SECRET_KEY), "CONSILIO_SECRET_KEY"),
        (Settings(secret_key="x" * 31), "CONSILIO_SECRET_KEY"),
        (Settings(secret_key=good, previous_secret_keys=DEV_SECRET_KEY), "PREVIOUS_SECRET"),
        (Settings(secret_key=good, turn_secret="short"), "CONSILIO_TURN_SECRET"),
    ]:
        assert variable in (keys.unsafe_secret_key_reason(settings) or "")
    assert keys.unsafe_secret_key_reason(Settings(secret_key="ü" * 16)) is None  # 32 bytes


def _tenants(env: dict[str, str]) -> list[str]:
    database = env["CONSILIO_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT slug FROM tenant ORDER BY slug")]


def test_demo_data_is_seeded_only_in_dev_mode_and_only_when_asked_for() -> None:
    env = _env(CONSILIO_SECRET_KEY=secrets.token_urlsafe(48))
    manage = [sys.executable, "-m", "app.manage"]
    assert _run([*manage, "migrate"], env)[0] == 0
    code, output = _run([*manage, "seed"], env)
    assert code != 0 and "CONSILIO_ENVIRONMENT=dev" in output
    assert _tenants(env) == []
    code, output = _run([*manage, "seed"], {**env, "CONSILIO_DEMO_DATA": "false"})
    assert code == 0 and _tenants(env) == []
    dev = {**env, "CONSILIO_ENVIRONMENT": "dev"}
    assert _run([*manage, "seed"], {**dev, "CONSILIO_DEMO_DATA": "false"})[0] == 0
    assert _tenants(env) == []
    assert _run([*manage, "seed"], dev)[0] == 0
    assert _tenants(env) == ["demo", "platform"]


def test_make_dev_writes_dev_mode_and_a_random_key_once(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    assert write_dev_env(dotenv, relay=False) == ["CONSILIO_ENVIRONMENT", "CONSILIO_SECRET_KEY"]
    first = dotenv.read_text()
    key = first.split("CONSILIO_SECRET_KEY=")[1].strip()
    assert "CONSILIO_ENVIRONMENT=dev\n" in first and len(key) >= 48
    assert write_dev_env(dotenv, relay=False) == [] and dotenv.read_text() == first
    assert dotenv.stat().st_mode & 0o077 == 0
    other = tmp_path / "other.env"
    other.write_text("export CONSILIO_SECRET_KEY=mine-and-long-enough-for-anyone-0123456789")
    assert write_dev_env(other, relay=False) == ["CONSILIO_ENVIRONMENT"]
    assert other.read_text().splitlines() == [
        "export CONSILIO_SECRET_KEY=mine-and-long-enough-for-anyone-0123456789",
        "CONSILIO_ENVIRONMENT=dev",
    ]
    assert write_dev_env(tmp_path / "third.env", relay=False)
    assert key not in (tmp_path / "third.env").read_text()


def test_make_dev_offers_browsers_the_relay_it_starts(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("CONSILIO_ENVIRONMENT=dev\n")
    assert write_dev_env(dotenv, relay=True) == ["CONSILIO_SECRET_KEY", "CONSILIO_TURN_URLS"]
    settings = dict(line.split("=", 1) for line in dotenv.read_text().splitlines())
    assert settings["CONSILIO_TURN_URLS"] == "turn:127.0.0.1:3478?transport=udp"
    run_turn = (Path(__file__).parent.parent / "tools" / "run-turn.sh").read_text()
    assert "CONSILIO_TURN_PORT:-3478" in run_turn  # the port coturn listens on
    # coturn's configuration, rendered from that .env (tools/run-turn.sh), has the secret the
    # app signs TURN credentials with under the same key.
    root = str(Path(__file__).parent.parent)
    bare = {k: v for k, v in os.environ.items() if not k.startswith("CONSILIO_")}
    rendered = subprocess.run(
        [sys.executable, "-m", "media_nodes.turn_config", "test"],
        cwd=tmp_path,
        env={**bare, "PYTHONPATH": root},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    signing = subprocess.run(
        [sys.executable, "-c", "from app.services import turn; print(turn.shared_secret())"],
        cwd=root,
        env={**bare, "PYTHONPATH": root, "CONSILIO_SECRET_KEY": settings["CONSILIO_SECRET_KEY"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert f"static-auth-secret={signing}\n" in rendered
