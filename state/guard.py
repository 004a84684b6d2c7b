"""The one way a state handler acts: through the service guard, with errors shown to the user."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import reflex as rx
from sqlmodel import Session

from app.i18n import format_datetime
from app.models import Role, Tenant
from app.services import guard
from app.services.context import TenantContext
from app.services.db import unit_of_work
from app.services.errors import DomainError, NotFound
from state.locale import LocaleState
from state.session import SessionState
from state.tenant import TenantState

logger = logging.getLogger(__name__)
EnteredT = TypeVar("EnteredT")


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
async def guarded(
    state: rx.State, locale: LocaleState, enter: Callable[[Session], Awaitable[EnteredT]]
) -> AsyncIterator[EnteredT]:
    """The one way a handler works on data: a unit of work that ``enter`` authorises.

    ``enter`` checks who calls and builds what the body gets. When it refuses (a
    DomainError), the message in the caller's language goes to ``state.error`` and the body
    stops at its first step (see :class:`Refused`). A DomainError in the body is shown the
    same way and rolls back; anything else is logged and shown generically.
    """
    state.error = ""  # type: ignore[attr-defined]

    def show(exc: DomainError) -> None:
        state.error = locale.text(exc.key, **exc.params)  # type: ignore[attr-defined]

    try:
        with unit_of_work() as db:
            try:
                entered = await enter(db)
            except DomainError as exc:
                show(exc)
                yield REFUSED
                return
            yield entered
    except SkipBody:
        pass
    except DomainError as exc:
        show(exc)
    except Exception:
        logger.exception("handler %s failed", type(state).__name__)
        state.error = locale.text("error.generic")  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def acting(state: rx.State, roles: frozenset[Role]) -> AsyncIterator[Acting]:
    """Authorise the browser's session for ``roles`` in the page's tenant and open a
    unit of work (see :func:`guarded` for what a refusal or an error does).

    Usage inside an event handler::

        async with acting(self, ADMINS) as act:
            users.invite_user(act.db, act.ctx, ...)
            self.notice = act.text("users.invited", email=...)
    """
    session_state = await state.get_state(SessionState)
    tenant = await state.get_state(TenantState)
    locale = await state.get_state(LocaleState)
    state.notice = ""  # type: ignore[attr-defined]

    async def enter(db: Session) -> Acting:
        ctx = guard.authorize(db, session_state.token, tenant_id=tenant.tenant_id, roles=roles)
        return Acting(db=db, ctx=ctx, locale=locale, token=session_state.token)

    async with guarded(state, locale, enter) as act:
        yield act


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

    async def enter(db: Session) -> Visiting:
        tenant = db.get(Tenant, tenant_state.tenant_id)
        if tenant is None or not tenant.active:
            raise NotFound("error.tenant_not_found")
        return Visiting(db=db, tenant=tenant, locale=locale)

    async with guarded(state, locale, enter) as visit:
        yield visit
