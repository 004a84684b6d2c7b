"""Message catalogs (de, en, fr, it, es) and locale-aware formatting with Babel.

Catalogs are flat JSON files ``{key: message}``; messages use ``{name}`` placeholders.
English is the reference: every other catalog must have exactly its keys (a test checks).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates, numbers

logger = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("de", "en", "fr", "it", "es")
REFERENCE = "en"
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "fr": "Français",
    "it": "Italiano",
    "es": "Español",
}
_DIR = Path(__file__).resolve().parent


@functools.cache
def catalog(locale: str) -> dict[str, str]:
    """The messages of ``locale`` (falls back to English for an unknown locale)."""
    lang = locale if locale in LANGUAGES else REFERENCE
    with (_DIR / f"{lang}.json").open(encoding="utf-8") as handle:
        data: dict[str, str] = json.load(handle)
    return data


def translate(locale: str, key: str, **params: Any) -> str:
    """The message ``key`` in ``locale`` with ``params`` filled in.

    A missing key logs an error and shows the key itself rather than failing the page.
    """
    message = catalog(locale).get(key)
    if message is None:
        message = catalog(REFERENCE).get(key)
        if message is None:
            logger.error("missing message key %s", key)
            return key
    if not params:
        return message
    try:
        return message.format(**params)
    except (KeyError, IndexError, ValueError):
        logger.error("message %s in %s does not fit params %s", key, locale, sorted(params))
        return message


def best_language(accept_language: str, enabled: tuple[str, ...] | list[str], default: str) -> str:
    """Pick the first enabled language from an Accept-Language header, else ``default``."""
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        lang, _, q = piece.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        weighted.append((weight, lang.split("-")[0].lower()))
    for _, lang in sorted(weighted, key=lambda item: -item[0]):
        if lang in enabled:
            return lang
    return default if default in enabled else (enabled[0] if enabled else REFERENCE)


def format_datetime(value: dt.datetime, locale: str, timezone: str, fmt: str = "medium") -> str:
    """A date and time in the user's language and time zone."""
    return dates.format_datetime(value, fmt, tzinfo=ZoneInfo(timezone), locale=locale)


def format_date(value: dt.date | dt.datetime, locale: str, fmt: str = "medium") -> str:
    """A date in the user's language."""
    return dates.format_date(value, fmt, locale=locale)


def format_number(value: int | float | Decimal, locale: str) -> str:
    """A number with the locale's grouping and decimal separators."""
    return numbers.format_decimal(value, locale=locale)


def format_currency(value: int | float | Decimal, currency: str, locale: str) -> str:
    """An amount of money, e.g. ``1.234,50 €`` in German."""
    return numbers.format_currency(value, currency, locale=locale)
