"""The advisor's meetings on the dashboard: open an ad hoc room, re-enter an open one."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from app import routes
from app.services import meetings
from app.services.guard import HOSTS
from state.guard import Acting, acting


class AdvisorMeetingsState(rx.State):
    """Open rooms of the signed-in advisor and the "start a meeting" form."""

    rooms: list[dict[str, str]] = []
    title: str = ""
    error: str = ""
    notice: str = ""

    @rx.event
    @acting(HOSTS)
    def load(self, act: Acting) -> None:
        """The advisor's open rooms."""
        self.rooms = [
            {
                "room": m.room,
                "title": m.title,
                "started": act.when(m.created_at),
                "href": act.caller.tenant._href(routes.meeting(m.room)),
            }
            for m in meetings.list_open_meetings(act.db, act.ctx)
        ]

    @rx.event
    def set_title(self, value: str) -> None:
        """Typing the new meeting's title."""
        self.title = value[:201]

    @rx.event
    @acting(HOSTS)
    def start(self, act: Acting, _form: dict[str, str] | None = None) -> EventSpec:
        """Open a room and go into it."""
        room = meetings.start_meeting(act.db, act.ctx, self.title).room
        self.title = ""
        return rx.redirect(act.caller.tenant._href(routes.meeting(room)))
