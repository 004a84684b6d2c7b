"""Which side panel of the room is open (participants, chat, invite, phone, devices), if any.

Pure page state, no data: on a laptop the panel starts open beside the stage, on a phone or
tablet it starts closed and opens as a sheet over the stage, so it never pushes the controls
out of view.
"""

from __future__ import annotations

import reflex as rx

TABS = ("people", "chat", "invite", "phone", "devices")


class RoomPanelState(rx.State):
    """The open tab of the side panel (``""``: closed)."""

    panel: str = ""

    @rx.event
    def start(self, wide: bool) -> None:
        """On entering the room: open beside the stage when the screen is wide enough."""
        self.panel = "people" if wide is True else ""

    @rx.event
    def toggle(self, tab: str) -> None:
        """A control bar button: open the panel on ``tab``, or close it when it shows it."""
        if tab in TABS:
            self.panel = "" if self.panel == tab else tab

    @rx.event
    def show(self, tab: str) -> None:
        """Choosing a tab (or an action that needs one, e.g. "invite someone")."""
        if tab in TABS:
            self.panel = tab

    @rx.event
    def close(self) -> None:
        """The panel's close button (or Escape on a phone)."""
        self.panel = ""
