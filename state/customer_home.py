"""The customer's start page: their advisors, open and past meetings, and entering one."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from app import routes
from app.models import Role
from app.services import customer_home
from state.guard import Acting, acting

CUSTOMERS = frozenset({Role.CUSTOMER})


class CustomerHomeState(rx.State):
    """What the signed-in customer sees on their start page (no link secrets, ever)."""

    advisors: list[dict[str, str]] = []
    open_meetings: list[dict[str, str]] = []
    past_meetings: list[dict[str, str]] = []
    loaded: bool = False
    error: str = ""

    @rx.event
    @acting(CUSTOMERS)
    def load(self, act: Acting) -> None:
        """on_load: the customer's advisors and meetings."""
        home = customer_home.get_customer_home(act.db, act.ctx)
        self.advisors = [{"name": a.name, "email": a.email} for a in home.advisors]
        self.open_meetings = [
            {
                "room": m.room,
                "title": m.title,
                "advisor": m.advisor,
                "when": act.when(m.started_at),
                "joinable": "yes" if m.can_join else "",
            }
            for m in home.open_meetings
        ]
        self.past_meetings = [
            {"title": m.title, "advisor": m.advisor, "when": act.when(m.ended_at or m.started_at)}
            for m in home.past_meetings
        ]
        self.loaded = True

    @rx.event
    @acting(CUSTOMERS)
    def join(self, act: Acting, room: str) -> EventSpec:
        """Go into an open meeting the customer was invited to (signed in: no link needed)."""
        taken = customer_home.take_seat(act.db, act.ctx, str(room)[:64])
        return rx.redirect(act.caller.tenant._href(routes.meeting(taken)))
