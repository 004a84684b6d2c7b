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
        """The visitor picked a language; signed-in users keep it in their profile.

        The language applies at once for everyone; an expired session just is not saved
        to (its refusal is not shown: the language switched all the same)."""
        tenant = await self.get_state(TenantState)
        if lang not in LANGUAGES or lang not in tenant.languages:
            return
        (await self.get_state(LocaleState)).lang = lang

        def remember(db: Session, caller: Caller) -> None:
            if not caller.token:  # a visitor: the language cookie is all there is
                return
            tenant_id = caller.tenant._tenant_id_in(db)
            ctx = guard.authorize(db, caller.token, tenant_id=tenant_id, roles=guard.ALL_ROLES)
            users.update_profile(db, ctx, locale=lang)

        await off_loop(self, remember)
