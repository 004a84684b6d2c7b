"""The advisor's meetings on the dashboard: open an ad hoc room, re-enter an open one."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.services import meetings
from state.guard import acting
from state.tenant import TenantState

HOSTS = frozenset(meetings.HOSTS)


class AdvisorMeetingsState(rx.State):
    """Open rooms of the signed-in advisor and the "start a meeting" form."""

    rooms: list[dict[str, str]] = []
    title: str = ""
    error: str = ""
    notice: str = ""

    @rx.event
    async def load(self) -> None:
        """The advisor's open rooms."""
        tenant = await self.get_state(TenantState)
        async with acting(self, HOSTS) as act:
            self.rooms = [
                {
                    "room": m.room,
                    "title": m.title,
                    "started": act.when(m.created_at),
                    "href": tenant.href(routes.meeting(m.room)),
                }
                for m in meetings.list_open_meetings(act.db, act.ctx)
            ]

    @rx.event
    def set_title(self, value: str) -> None:
        """Typing the new meeting's title."""
        self.title = value[:201]

    @rx.event
    async def start(self, _form: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        """Open a room and go into it."""
        tenant = await self.get_state(TenantState)
        room = ""
        async with acting(self, HOSTS) as act:
            room = meetings.start_meeting(act.db, act.ctx, self.title).room
        if not room:
            return None
        self.title = ""
        return rx.redirect(tenant.href(routes.meeting(room)))
