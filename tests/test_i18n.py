"""Every catalog has exactly the reference keys, and placeholders match."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from app.i18n import LANGUAGES, REFERENCE, best_language, catalog, format_currency, format_datetime

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != REFERENCE])
def test_catalog_has_exactly_the_reference_keys(lang: str) -> None:
    missing = set(catalog(REFERENCE)) - set(catalog(lang))
    extra = set(catalog(lang)) - set(catalog(REFERENCE))
    assert not missing, f"{lang} misses {sorted(missing)}"
    assert not extra, f"{lang} has unknown keys {sorted(extra)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_the_reference(lang: str) -> None:
    for key, message in catalog(REFERENCE).items():
        assert set(PLACEHOLDER.findall(catalog(lang)[key])) == set(PLACEHOLDER.findall(message)), (
            key
        )


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != REFERENCE])
def test_catalog_is_translated_not_copied(lang: str) -> None:
    same = [k for k, v in catalog(REFERENCE).items() if catalog(lang)[k] == v and len(v) > 12]
    assert len(same) < 10, f"{lang} looks untranslated: {same[:10]}"


def test_dates_and_money_follow_the_users_locale_and_time_zone() -> None:
    moment = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    assert format_datetime(moment, "de", "Europe/Berlin", "short") == "02.03.26, 00:30"
    assert format_currency(Decimal("1234.5"), "EUR", "de") == "1.234,50\xa0€"
    assert format_currency(Decimal("1234.5"), "CHF", "fr").startswith("1\u202f234,50")


def test_browser_language_is_used_when_the_tenant_offers_it() -> None:
    assert best_language("fr-CH,fr;q=0.9,en;q=0.5", ["de", "fr"], "de") == "fr"
    assert best_language("ja,en;q=0.2", ["de", "it"], "it") == "it"
