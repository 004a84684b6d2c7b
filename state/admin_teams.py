"""Admins keep the tenant's teams: name, topics, locations."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.services import teams
from app.services.guard import ADMINS
from state.guard import Acting, acting


class AdminTeamsState(rx.State):
    """The teams list and the create / edit form."""

    error: str = ""
    notice: str = ""
    rows: list[dict[str, str]] = []
    editing_id: str = ""
    form_name: str = ""
    form_topics: str = ""
    form_locations: str = ""
    revision: int = 0  # changed when the form should start over (saved, another team opened)

    def _reload(self, act: Acting) -> None:
        self.rows = [
            {
                "id": str(t.id),
                "name": t.name,
                "topics": ", ".join(t.topics),
                "locations": ", ".join(t.locations),
            }
            for t in teams.list_teams(act.db, act.ctx)
        ]

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: the list and an empty form."""
        self.editing_id, self.form_name, self.form_topics, self.form_locations = "", "", "", ""
        self._reload(act)

    @rx.event
    def edit(self, team_id: str) -> None:
        """Put a team into the form."""
        for row in self.rows:
            if row["id"] == team_id:
                self.editing_id, self.form_name = row["id"], row["name"]
                self.form_topics, self.form_locations = row["topics"], row["locations"]
                self.revision += 1

    @rx.event
    def new(self) -> None:
        """Empty the form for a new team."""
        self.editing_id, self.form_name, self.form_topics, self.form_locations = "", "", "", ""
        self.revision += 1

    @rx.event
    @acting(ADMINS)
    def save(self, act: Acting, form: dict[str, Any]) -> None:
        """Create or update the team in the form; a refusal leaves the form as it was typed."""
        teams.save_team(
            act.db,
            act.ctx,
            team_id=int(self.editing_id) if self.editing_id.isdigit() else None,
            name=str(form.get("name", "")),
            topics=str(form.get("topics", "")),
            locations=str(form.get("locations", "")),
        )
        self.notice = act.text("teams.saved")
        self.editing_id, self.form_name, self.form_topics, self.form_locations = "", "", "", ""
        self.revision += 1
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def delete(self, act: Acting, team_id: str) -> None:
        """Delete a team; members stay without a team."""
        teams.delete_team(act.db, act.ctx, team_id)
        self.notice = act.text("teams.deleted")
        self._reload(act)
