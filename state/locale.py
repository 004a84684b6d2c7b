"""The visitor's language: chosen at runtime, applied without reload."""

from __future__ import annotations

import reflex as rx

from app.i18n import LANGUAGE_NAMES, LANGUAGES, catalog, translate


class LocaleState(rx.State):
    """Current language and its message catalog (public texts only)."""

    lang: str = rx.Cookie("", name="consilio_lang", max_age=365 * 24 * 3600, same_site="lax")

    @rx.var
    def m(self) -> dict[str, str]:
        """The messages of the current language; pages read ``LocaleState.m[key]``."""
        return catalog(self.lang or "en")

    @rx.var
    def language_name(self) -> str:
        """The current language's own name, e.g. "Deutsch"."""
        return LANGUAGE_NAMES.get(self.lang, "English")

    def _text(self, key: str, **params: object) -> str:
        """Translate a message server-side (for messages with values filled in)."""
        return translate(self.lang or "en", key, **params)

    def _use(self, lang: str, enabled: list[str] | tuple[str, ...]) -> None:
        """Switch to ``lang`` if it is a known language enabled by the tenant."""
        if lang in LANGUAGES and lang in enabled:
            self.lang = lang


def t(key: str | rx.Var[str]) -> rx.Var[str]:
    """The message ``key`` in the current language, as a var pages can place anywhere.

    ``key`` may itself be a var (e.g. ``row["role_key"]``), so lists follow a language
    switch without reloading."""
    return LocaleState.m[key].to(str)
