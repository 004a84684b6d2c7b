"""The one way a state handler acts: through the service guard, with errors shown to the user."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.i18n import format_datetime
from app.models import Role, Tenant
from app.services import guard
from app.services.context import TenantContext
from app.services.db import unit_of_work
from app.services.errors import DomainError
from state.locale import LocaleState
from state.session import SessionState
from state.tenant import TenantState

logger = logging.getLogger(__name__)


class SkipBody(Exception):
    """Raised by :class:`Refused`: the refused handler's body stops at its first step."""


class Refused:
    """What a refused ``async with acting(...) as act`` yields instead of an action.

    A ``with`` block cannot be skipped, so the body starts and stops at its first use of
    ``act`` (every body begins with one); the guard then swallows :class:`SkipBody`. The
    refusal's message is already in ``state.error`` and nothing was changed.
    """

    def __getattr__(self, name: str) -> Any:
        raise SkipBody(name)


REFUSED: Any = Refused()


@dataclasses.dataclass
class Acting:
    """An authorised unit of work: the DB session, the caller's context and their language."""

    db: Session
    ctx: TenantContext
    locale: LocaleState
    token: str

    def text(self, key: str, **params: object) -> str:
        """A message in the caller's language."""
        return self.locale.text(key, **params)

    def when(self, value: dt.datetime) -> str:
        """A moment in the caller's language and time zone (short form, for lists)."""
        return format_datetime(value, self.locale.lang or "en", self.ctx.timezone, "short")


@contextlib.asynccontextmanager
async def acting(state: rx.State, roles: frozenset[Role]) -> AsyncIterator[Acting]:
    """Authorise the browser's session for ``roles`` in the page's tenant and open a
    unit of work. A refused or invalid request changes nothing; its message in the user's
    language goes to ``state.error``. Unexpected errors are logged and shown generically.

    Usage inside an event handler::

        async with acting(self, ADMINS) as act:
            users.invite_user(act.db, act.ctx, ...)
            self.notice = act.text("users.invited", email=...)
    """
    session_state = await state.get_state(SessionState)
    tenant = await state.get_state(TenantState)
    locale = await state.get_state(LocaleState)
    state.error = ""  # type: ignore[attr-defined]
    state.notice = ""  # type: ignore[attr-defined]
    try:
        with unit_of_work() as db:
            try:
                ctx = guard.authorize(
                    db, session_state.token, tenant_id=tenant.tenant_id, roles=roles
                )
            except DomainError as exc:
                state.error = locale.text(exc.key, **exc.params)  # type: ignore[attr-defined]
                yield REFUSED
                return
            yield Acting(db=db, ctx=ctx, locale=locale, token=session_state.token)
    except SkipBody:
        pass
    except DomainError as exc:
        state.error = locale.text(exc.key, **exc.params)  # type: ignore[attr-defined]
    except Exception:
        logger.exception("handler %s failed", type(state).__name__)
        state.error = locale.text("error.generic")  # type: ignore[attr-defined]


@dataclasses.dataclass
class Visiting:
    """An anonymous unit of work in the page's tenant (login, password reset, activation)."""

    db: Session
    tenant: Tenant
    locale: LocaleState

    def text(self, key: str, **params: object) -> str:
        """A message in the visitor's language."""
        return self.locale.text(key, **params)


@contextlib.asynccontextmanager
async def visiting(state: rx.State) -> AsyncIterator[Visiting]:
    """Like :func:`acting` for pages that need no sign-in; errors go to ``state.error``."""
    tenant_state = await state.get_state(TenantState)
    locale = await state.get_state(LocaleState)
    state.error = ""  # type: ignore[attr-defined]
    try:
        with unit_of_work() as db:
            tenant = db.get(Tenant, tenant_state.tenant_id)
            if tenant is None or not tenant.active:
                state.error = locale.text("error.tenant_not_found")  # type: ignore[attr-defined]
                yield REFUSED
                return
            yield Visiting(db=db, tenant=tenant, locale=locale)
    except SkipBody:
        pass
    except DomainError as exc:
        state.error = locale.text(exc.key, **exc.params)  # type: ignore[attr-defined]
    except Exception:
        logger.exception("handler %s failed", type(state).__name__)
        state.error = locale.text("error.generic")  # type: ignore[attr-defined]
