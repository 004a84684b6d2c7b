"""Operator commands: `python -m app.manage migrate|seed|logins|config-table`."""

from __future__ import annotations

import argparse
import sys

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


def seed() -> None:
    """Create the demo tenants and accounts (idempotent)."""
    from app.services import demo
    from app.services.db import unit_of_work

    with unit_of_work() as session:
        demo.seed(session)


def print_logins() -> None:
    """Print where to sign in and with which demo accounts."""
    from app.services.demo import DEMO_LOGINS, DEMO_PASSWORD

    base = get_settings().public_url.rstrip("/")
    print(f"\n  Consilio is starting at {base}/  (first build of the web UI takes a minute)\n")
    print(f"  Demo logins (password: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        print(f"    {login.role:<12} {login.email:<30} {base}/t/{login.tenant_slug}/login")
    print(f"  Mail log: {base}/t/demo/admin/mail (tenant admin; links shown as [personal link]),")
    print(f"  Dev outbox with live links: {base}/t/platform/platform/outbox (super admin)\n")


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
    parser.add_argument("command", choices=["migrate", "seed", "logins", "config-table"])
    args = parser.parse_args(argv)
    if args.command == "config-table":
        print(config_table())
        return 0
    {"migrate": migrate, "seed": seed, "logins": print_logins}[args.command]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
