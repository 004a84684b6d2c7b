"""The README's configuration table lists every setting with its real default."""

from __future__ import annotations

from pathlib import Path

from app.manage import config_table


def test_readme_configuration_table_matches_the_settings() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert config_table() in readme, "regenerate it: python -m app.manage config-table"
