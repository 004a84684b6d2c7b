"""What the document says about itself beyond the page's content: its language.

Reflex writes ``<html lang>`` once at build time (the prerendered pages are in English); a
visitor's language is known only at runtime, so an effect sets it whenever it changes. Screen
readers pick their voice by it, and browsers their hyphenation and translation offers.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.components.base.fragment import Fragment
from reflex.vars.base import Var


class DocumentLanguage(Fragment):
    """Renders nothing; keeps ``document.documentElement.lang`` equal to ``lang``."""

    lang: Var[str]

    def _exclude_props(self) -> list[str]:
        return [*super()._exclude_props(), "lang"]

    def add_imports(self) -> dict[str, Any]:
        """React's effect hook."""
        return {"react": "useEffect"}

    def add_hooks(self) -> list[str | Var]:
        """Set the attribute after each render in which the language changed."""
        lang = str(self.lang)
        effect = f'document.documentElement.lang = ({lang}) || "en";'
        return [
            Var(
                f"useEffect(() => {{ {effect} }}, [{lang}]);",
                _var_data=self.lang._get_all_var_data(),
            )
        ]


def document_language(lang: rx.Var[str]) -> rx.Component:
    """The document's language follows ``lang`` (``"en"`` while it is empty)."""
    return DocumentLanguage.create(lang=lang)
