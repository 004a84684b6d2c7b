"""Operator commands: `python -m app.manage migrate|seed|logins|dev-env|reencrypt|config-table`."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
from pathlib import Path

from alembic.config import Config

from alembic import command
from app.settings import PROJECT_ROOT, get_settings


def migrate() -> None:
    """Bring the database schema to the newest migration."""
    if get_settings().database_url.startswith("sqlite"):
        (PROJECT_ROOT / "data").mkdir(exist_ok=True)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    command.upgrade(config, "head")


def seed() -> int:
    """Create the demo tenants and accounts (idempotent; dev mode only, see services.demo)."""
    from app.services import demo
    from app.services.db import unit_of_work

    try:
        with unit_of_work() as session:
            seeded = demo.seed(session)
    except demo.DemoDataRefused as exc:
        print(f"seed refused: {exc}", file=sys.stderr)
        return 2
    if not seeded:
        print("CONSILIO_DEMO_DATA is off: no demo tenants seeded.")
    return 0


def reencrypt() -> int:
    """Encrypt stored secrets again under the current secret key (after a rotation)."""
    from app.services.db import unit_of_work
    from app.services.key_rotation import reencrypt_stored_secrets

    with unit_of_work() as session:
        done = reencrypt_stored_secrets(session)
    print(
        f"re-encrypted {done.totp_seeds} TOTP seeds, {done.smtp_passwords} SMTP passwords, "
        f"{done.meeting_files} chat files under the current secret key"
    )
    return 0


def dev_turn_url() -> str:
    """The loopback relay `make dev` starts (Procfile "turn": tools/run-turn.sh, whose port is
    CONSILIO_TURN_PORT, 3478 by default)."""
    port = os.environ.get("CONSILIO_TURN_PORT", "3478")
    return f"turn:127.0.0.1:{port}?transport=udp"


def write_dev_env(path: Path, *, relay: bool | None = None) -> list[str]:
    """Give a developer's machine dev mode and its own random secret key in ``path`` (.env),
    and, with ``relay`` (default: when coturn is installed), the TURN relay `make dev` runs.

    The relay's secret needs no line: tools/run-turn.sh renders coturn's configuration from
    the same settings, so both derive it from this secret key (or CONSILIO_TURN_SECRET).
    Settings already in the file are kept as they are, so a second run changes nothing.

    Returns:
        The names of the variables added.
    """
    text = path.read_text() if path.exists() else ""
    present = {
        line.split("=", 1)[0].strip().removeprefix("export ").strip()
        for line in text.splitlines()
        if "=" in line
    }
    wanted = {
        "CONSILIO_ENVIRONMENT": "dev",
        "CONSILIO_SECRET_KEY": secrets.token_urlsafe(48),
    }
    if relay if relay is not None else shutil.which("turnserver") is not None:
        wanted["CONSILIO_TURN_URLS"] = dev_turn_url()
    added = [name for name in wanted if name not in present]
    if added:
        lines = [f"{name}={wanted[name]}" for name in added]
        separator = "\n" if text and not text.endswith("\n") else ""
        path.write_text(text + separator + "\n".join(lines) + "\n")
        path.chmod(0o600)
    return added


def print_logins() -> int:
    """Print where to sign in and with which demo accounts."""
    from app.services.demo import DEMO_LOGINS, DEMO_PASSWORD

    base = get_settings().public_url.rstrip("/")
    print(f"\n  Consilio is starting at {base}/  (first build of the web UI takes a minute)\n")
    if not (get_settings().demo_data and get_settings().dev_mode):
        return 0
    print(f"  Demo logins (password: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        print(f"    {login.role:<12} {login.email:<30} {base}/t/{login.tenant_slug}/login")
    print(f"  Mail log: {base}/t/demo/admin/mail (tenant admin; links shown as [personal link]),")
    print(f"  Dev outbox with live links: {base}/t/platform/platform/outbox (super admin)\n")
    return 0


def config_table() -> str:
    """The README's configuration table, made from the Settings fields."""
    from app.settings import Settings

    rows = [
        "| setting | environment variable | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, field in Settings.model_fields.items():
        default = str(field.default).replace(str(PROJECT_ROOT), "<project>")
        rows.append(f"| {name} | `CONSILIO_{name.upper()}` | `{default}` | {field.description} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run one operator command."""
    parser = argparse.ArgumentParser(prog="python -m app.manage")
    parser.add_argument(
        "command", choices=["migrate", "seed", "logins", "dev-env", "reencrypt", "config-table"]
    )
    args = parser.parse_args(argv)
    if args.command == "config-table":
        print(config_table())
    elif args.command == "migrate":
        migrate()
    elif args.command == "dev-env":
        added = write_dev_env(Path(".env"))
        print(f".env: added {', '.join(added)}" if added else ".env: kept as it is")
    elif args.command == "seed":
        return seed()
    elif args.command == "reencrypt":
        return reencrypt()
    else:
        return print_logins()
    return 0


if __name__ == "__main__":
    sys.exit(main())
