"""Which room this browser is in, with which credential, and the guard every room handler uses.

The credential (a personal link secret, or the host's session) stays in backend-only vars;
each handler re-checks it through :func:`app.services.meetings.authorize_attendee`, so a
participant removed a second ago is refused at their next click.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator

import reflex as rx
from sqlmodel import Session

from app.services import meetings
from app.services.meetings import Attendee
from state.guard import guarded
from state.locale import LocaleState
from state.session import SessionState
from state.tenant import TenantState


class RoomAccessState(rx.State):
    """The room of the page and the browser's credential for it (never sent to the browser)."""

    _room: str = ""
    _link: str = ""

    def enter_from_url(self) -> None:
        """Take the room from the path and the personal link secret (if any) from ``?k=``."""
        self._room = str(self.router.page.params.get("room", "") or "")[:64]
        link = str(self.router.page.params.get("k", "") or "")[:128]
        if link:
            self._link = link

    @property
    def room(self) -> str:
        """The room id of the page."""
        return self._room


@dataclasses.dataclass
class Attending:
    """An authorised room action: DB session, who acts, and their language."""

    db: Session
    attendee: Attendee
    locale: LocaleState

    def text(self, key: str, **params: object) -> str:
        """A message in the participant's language."""
        return self.locale.text(key, **params)


async def authorize(state: rx.State, db: Session) -> Attendee:
    """The attendee behind this browser, or a DomainError."""
    access = await state.get_state(RoomAccessState)
    session_state = await state.get_state(SessionState)
    tenant = await state.get_state(TenantState)
    return meetings.authorize_attendee(
        db,
        tenant.tenant_id,
        access.room,
        link_secret=access._link,
        session_token="" if access._link else session_state.token,
    )


@contextlib.asynccontextmanager
async def attending(state: rx.State) -> AsyncIterator[Attending]:
    """Authorise this browser as a participant of the page's room and open a unit of work.

    A refused or invalid action changes nothing; its message goes to ``state.error`` (see
    state.guard.guarded).
    """
    locale = await state.get_state(LocaleState)

    async def enter(db: Session) -> Attending:
        return Attending(db=db, attendee=await authorize(state, db), locale=locale)

    async with guarded(state, locale, enter) as att:
        yield att
