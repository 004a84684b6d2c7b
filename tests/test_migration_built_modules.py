"""The migration that came with "built modules only": existing tenants keep only modules
that exist, and their guests' consents gain a notice column (on the embedded SQLite)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from alembic import command
from app.settings import PROJECT_ROOT

REVISION = "bdc5ecf37391"


def test_existing_tenants_keep_only_built_modules(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["configure_logger"] = False
    before = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(before, str)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, before)
        connection.execute(
            sa.text(
                "INSERT INTO tenant (slug, name, embed_origins, primary_color, accent_color,"
                " languages, default_language, modules, password_min_length,"
                " meeting_file_max_mb, meeting_file_types, meeting_media_on, meeting_lobby,"
                " admins_need_2fa, active, created_at) VALUES ('alt', 'Alt AG', '[]',"
                " '#000000', '#ffffff', '[\"de\"]', 'de', :modules, 12, 10, '[\"pdf\"]', 1, 0,"
                " 0, 1, '2026-01-01 00:00:00')"
            ),
            {"modules": '["booking", "meetings", "recording", "portal"]'},
        )
        command.upgrade(config, "head")
        row = connection.execute(
            sa.text("SELECT modules, privacy_notice_version, privacy_default_notice FROM tenant")
        ).one()
    assert (row[0], row[1], bool(row[2])) == ('["meetings"]', 1, False)
