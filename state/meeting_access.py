"""Which room this browser is in, with which credential, and the guard every room handler uses.

The credential (a personal link secret, or the host's session) stays in backend-only vars;
each handler re-checks it through :func:`app.services.meetings.authorize_attendee`, so a
participant removed a second ago is refused at their next click.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from app.services import meetings
from app.services.meetings import Attendee
from state.guard import Caller, guarded


class RoomAccessState(rx.State):
    """The room of the page and the browser's credential for it (never sent to the browser)."""

    _room: str = ""
    _link: str = ""

    def _enter_from_url(self) -> None:
        """Take the room from the path and the personal link secret (if any) from ``?k=``."""
        room = str(self.router.page.params.get("room", "") or "")[:64]
        link = str(self.router.page.params.get("k", "") or "")[:128]
        if link:
            self._link = link
        elif room != self._room:
            # A link belongs to its room: another room in this tab is entered by the session.
            self._link = ""
        self._room = room


@dataclasses.dataclass
class Attending:
    """An authorised room action: DB session, who acts, and the caller."""

    db: Session
    attendee: Attendee
    caller: Caller
    link: str  # the personal link secret this browser came with ("" for the signed-in host)

    def text(self, key: str, **params: object) -> str:
        """A message in the participant's language."""
        return self.caller.text(key, **params)


def _attend(db: Session, caller: Caller, access: RoomAccessState) -> Attending:
    attendee = meetings.authorize_attendee(
        db,
        caller.tenant._tenant_id_in(db),
        access._room,
        link_secret=access._link,
        session_token="" if access._link else caller.token,
    )
    return Attending(db=db, attendee=attendee, caller=caller, link=access._link)


async def _room_access(state: rx.State) -> RoomAccessState:
    return await state.get_state(RoomAccessState)


# Guard of every room handler: this browser must be a participant of the page's room (see
# state.guard.guarded for what a refusal or an error does).
attending = guarded(_attend, _room_access)
