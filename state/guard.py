"""The one way a state handler works on data: authorised first, then off the event loop.

A handler that reads or changes data is written as a plain function that receives what the
guard granted, and is decorated with who may call it::

    @rx.event
    @acting(ADMINS)
    def deactivate(self, act: Acting, user_id: str) -> None:
        user = users.deactivate_user(act.db, act.ctx, int(user_id))
        self.notice = act.text("users.deactivated", email=user.email)

The decorator makes the handler ``async``: it reads the browser's session, page tenant,
language and address on the event loop, then runs the check and the body in a worker
thread inside one unit of work, so a slow query, a password hash or a big render never
stalls the other users of this backend. When the check refuses, the body never runs and
the refusal's message (in the caller's language) goes to ``self.error``. A DomainError in
the body is shown the same way and rolls everything back; anything else is logged and
shown as a generic error. The body may return events (``rx.redirect`` ...).

While a handler runs, Reflex holds this browser's state lock, so the body may set state
vars from the worker thread; it must not await (fetch other states before, in an async
handler that calls a decorated private method).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import reflex as rx
from sqlmodel import Session

from app.i18n import format_datetime, translate
from app.models import Role, Tenant
from app.services import guard, sessions
from app.services.context import TenantContext
from app.services.db import unit_of_work
from app.services.errors import DomainError, NotFound
from state.locale import LocaleState
from state.tenant import TenantState
from state.threads import HANDLERS, SIGN_IN, in_worker

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
G = TypeVar("G")
StateT = TypeVar("StateT", bound=rx.State)


@dataclasses.dataclass
class Caller:
    """What the browser brings to every handler, read on the event loop before any check.

    ``token`` is the session cookie from the event socket's handshake (the cookie is
    HttpOnly, so no page script can read or forge it), ``client`` the browser's address
    (the real one behind a configured trusted proxy).
    """

    token: str
    tenant: TenantState
    locale: LocaleState
    client: str

    @property
    def lang(self) -> str:
        """The caller's language."""
        return self.locale.lang or "en"

    def text(self, key: str, **params: object) -> str:
        """A message in the caller's language."""
        return translate(self.lang, key, **params)


async def caller_of(state: rx.State) -> Caller:
    """Read who calls, from the browser's connection and the page's tenant and language."""
    return Caller(
        token=sessions.token_from_cookie_header(state.router.headers.cookie),
        tenant=await state.get_state(TenantState),
        locale=await state.get_state(LocaleState),
        client=state.router.session.client_ip,
    )


@dataclasses.dataclass
class Acting:
    """An authorised unit of work of a signed-in user: DB session, context, caller."""

    db: Session
    ctx: TenantContext
    caller: Caller

    @property
    def token(self) -> str:
        """The caller's session token (to keep this session when ending the others)."""
        return self.caller.token

    def text(self, key: str, **params: object) -> str:
        """A message in the caller's language."""
        return self.caller.text(key, **params)

    def when(self, value: dt.datetime) -> str:
        """A moment in the caller's language and time zone (short form, for lists)."""
        return format_datetime(value, self.caller.lang, self.ctx.timezone, "short")


@dataclasses.dataclass
class Visiting:
    """An anonymous unit of work in the page's tenant (login, password reset, activation)."""

    db: Session
    tenant: Tenant
    caller: Caller

    def text(self, key: str, **params: object) -> str:
        """A message in the visitor's language."""
        return self.caller.text(key, **params)


def _show(state: rx.State, text: str) -> None:
    if hasattr(state, "error"):
        state.error = text  # type: ignore[attr-defined]


def _run(
    state: rx.State,
    enter: Callable[[Session, Caller, Any], G],
    caller: Caller,
    gathered: Any,
    body: Callable[..., R],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> R | None:
    """Check, then run the body, in one unit of work (in a worker thread)."""
    try:
        with unit_of_work() as db:
            try:
                granted = enter(db, caller, gathered)
            except DomainError as exc:  # refused: the body does not run; the check's
                _show(state, caller.text(exc.key, **exc.params))  # own writes commit
                return None
            return body(state, granted, *args, **kwargs)
    except DomainError as exc:
        _show(state, caller.text(exc.key, **exc.params))
    except Exception:
        logger.exception("handler %s failed", type(state).__name__)
        _show(state, caller.text("error.generic"))
    return None


def guarded(
    enter: Callable[[Session, Caller, Any], G],
    gather: Callable[[rx.State], Awaitable[Any]] | None = None,
    lane: str = HANDLERS,
) -> Callable[
    [Callable[Concatenate[StateT, G, P], R]], Callable[Concatenate[StateT, P], Awaitable[R | None]]
]:
    """Make a decorator that lets a handler body run only with what ``enter`` grants.

    ``enter(db, caller, gathered)`` checks who calls and builds what the body gets as its
    second argument, or raises a DomainError to refuse; ``gathered`` is what the optional
    ``gather(state)`` read on the event loop first (e.g. another state); ``lane`` is the
    pool of threads the work runs in (state/threads.py). :func:`acting`, :data:`visiting`,
    :data:`signing_in` and ``state.meeting_access.attending`` are the guards built on this.
    """

    def decorate(
        body: Callable[Concatenate[StateT, G, P], R],
    ) -> Callable[Concatenate[StateT, P], Awaitable[R | None]]:
        signature = inspect.signature(body)
        params = list(signature.parameters.values())
        granted_name = params[1].name

        @functools.wraps(body)
        async def handler(self: StateT, *args: P.args, **kwargs: P.kwargs) -> R | None:
            for name in ("error", "notice"):
                if name in self.base_vars:
                    setattr(self, name, "")
            caller = await caller_of(self)
            gathered = await gather(self) if gather is not None else None
            return await in_worker(
                _run, self, enter, caller, gathered, body, args, kwargs, lane=lane
            )

        # Reflex reads a handler's parameters (names, annotations) to convert what the
        # browser sends: it must not see the granted argument.
        handler.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[params[0], *params[2:]]
        )
        handler.__annotations__ = {
            k: v for k, v in body.__annotations__.items() if k != granted_name
        }
        return handler

    return decorate


def _tenant_id(db: Session, caller: Caller) -> int:
    return caller.tenant._tenant_id_in(db)


def acting(
    roles: frozenset[Role],
) -> Callable[
    [Callable[Concatenate[StateT, Acting, P], R]],
    Callable[Concatenate[StateT, P], Awaitable[R | None]],
]:
    """Guard a handler for signed-in users with one of ``roles`` in the page's tenant."""

    def enter(db: Session, caller: Caller, _gathered: Any) -> Acting:
        ctx = guard.authorize(db, caller.token, tenant_id=_tenant_id(db, caller), roles=roles)
        return Acting(db=db, ctx=ctx, caller=caller)

    return guarded(enter)


def _visit(db: Session, caller: Caller, _gathered: Any) -> Visiting:
    tenant = db.get(Tenant, _tenant_id(db, caller))
    if tenant is None or not tenant.active:
        raise NotFound("error.tenant_not_found")
    return Visiting(db=db, tenant=tenant, caller=caller)


# Guard of handlers that need no sign-in (password reset, the test center): the page's
# tenant must exist and be active.
visiting = guarded(_visit)
# The same for handlers that check a password (sign-in, setting a password from a link):
# they run in their own lane, so a burst of sign-ins never holds every handler thread.
signing_in = guarded(_visit, lane=SIGN_IN)


async def off_loop(state: rx.State, work: Callable[[Session, Caller], R]) -> R | None:
    """Run ``work(db, caller)`` in a unit of work off the event loop, for code that is not a
    guarded handler (page guards, the room listener); errors are shown like a handler's."""

    def body(_state: rx.State, granted: tuple[Session, Caller]) -> R:
        return work(*granted)

    caller = await caller_of(state)
    return await in_worker(_run, state, lambda db, c, _g: (db, c), caller, None, body, (), {})
