"""Choosing the language: applied at once, and kept in a signed-in user's profile."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from app.i18n import LANGUAGES
from app.services import guard, users
from state.guard import Caller, off_loop
from state.locale import LocaleState
from state.tenant import TenantState


class LanguageState(rx.State):
    """The language menu's handler (the language itself lives in LocaleState)."""

    @rx.event
    async def choose(self, lang: str) -> None:
        """The visitor picked a language; signed-in users keep it in their profile."""
        tenant = await self.get_state(TenantState)
        if lang not in LANGUAGES or lang not in tenant.languages:
            return
        (await self.get_state(LocaleState)).lang = lang

        def remember(db: Session, caller: Caller) -> None:
            who = guard.signed_in_here(db, caller.token, caller.tenant._tenant_id_in(db))
            if who is not None:
                users.update_profile(db, guard.context_of(who), locale=lang)

        await off_loop(self, remember)
