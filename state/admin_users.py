"""Admins manage the tenant's users: invite, role, team, deactivate, resend, CSV import."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from app.models import Role, User
from app.services import advisor_import, teams, users
from app.services.guard import ADMINS
from state.guard import Acting, acting

MAX_CSV_BYTES = advisor_import.MAX_BYTES


@dataclasses.dataclass
class UserRow:
    """One line of the users table (display values; ids are checked again on every action)."""

    id: str = ""
    email: str = ""
    name: str = ""
    role: str = ""
    status: str = ""  # active | invited | inactive
    team: str = ""
    is_self: bool = False


class AdminUsersState(rx.State):
    """The users page. Rows hold display values only; ids are checked again on every action."""

    error: str = ""
    notice: str = ""
    search: str = ""
    rows: list[UserRow] = []
    team_options: list[list[str]] = []
    import_rows: list[dict[str, str]] = []
    importing: bool = False
    invite_revision: int = 0  # changed after an invitation went out: the form starts over

    def _reload(self, act: Acting) -> None:
        team_names = {t.id: t.name for t in teams.list_teams(act.db, act.ctx)}
        self.team_options = [[str(k), v] for k, v in team_names.items()]
        self.rows = [
            self._row(act, u, team_names)
            for u in users.list_users(act.db, act.ctx, search=self.search)
        ]

    @staticmethod
    def _row(act: Acting, user: User, team_names: dict[int | None, str]) -> UserRow:
        return UserRow(
            id=str(user.id),
            email=user.email,
            name=user.display_name,
            role=user.role,
            status=user.status,
            team=team_names.get(user.team_id, "") + (" ★" if user.is_team_lead else ""),
            is_self=user.id == act.ctx.user_id,
        )

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: the list (filtered by ``?q=``, e.g. when the audit trail links a person)."""
        self.import_rows = []
        self.search = str(self.router.url.query_parameters.get("q", "") or "")[:100]
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def set_search(self, act: Acting, value: str) -> None:
        """Filter by name or address as the admin types."""
        self.search = value[:100]
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def invite(self, act: Acting, form: dict[str, Any]) -> None:
        """Invite one user by mail; a refusal leaves the form as it was typed."""
        team = str(form.get("team_id", "") or "")
        user = users.invite_user(
            act.db,
            act.ctx,
            email=str(form.get("email", "")),
            display_name=str(form.get("display_name", "")),
            role=str(form.get("role", "")),
            team_id=int(team) if team.isdigit() else None,
            locale=str(form.get("locale", "")) or None,
        )
        self.notice = act.text("users.invited", email=user.email)
        self.invite_revision += 1
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def change_role(self, act: Acting, user_id: str, role: str) -> None:
        """Give a user another role."""
        user = users.change_role(act.db, act.ctx, user_id, role)
        self.notice = act.text(
            "users.role_changed",
            email=user.email,
            role=act.text(f"role.{Role(user.role).value}"),
        )
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def deactivate(self, act: Acting, user_id: str) -> None:
        """Deactivate a user; their sessions end at once."""
        user = users.deactivate_user(act.db, act.ctx, user_id)
        self.notice = act.text("users.deactivated", email=user.email)
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def reactivate(self, act: Acting, user_id: str) -> None:
        """Let a deactivated user back in."""
        user = users.reactivate_user(act.db, act.ctx, user_id)
        self.notice = act.text("users.reactivated", email=user.email)
        self._reload(act)

    @rx.event
    @acting(ADMINS)
    def resend(self, act: Acting, user_id: str) -> None:
        """Mail a fresh invitation."""
        user = users.resend_invitation(act.db, act.ctx, user_id)
        self.notice = act.text("users.resent", email=user.email)

    @rx.event
    async def import_csv(self, files: list[rx.UploadFile]) -> None:
        """Check and import an advisors CSV; the size limit is enforced here, not in the browser."""
        self.import_rows = []
        content = await files[0].read(MAX_CSV_BYTES + 1) if files else None
        await self._import(content)

    @acting(ADMINS)
    def _import(self, act: Acting, content: bytes | None) -> None:
        if content is None:
            self.error = act.text("error.upload_missing")
            return
        report = advisor_import.import_advisors(act.db, act.ctx, content)
        self.import_rows = [
            {
                "line": str(r.line),
                "email": r.email,
                "outcome": r.outcome,
                "message": act.text(r.message_key, **r.params),
            }
            for r in report.rows
        ]
        if report.imported:
            skipped = sum(1 for r in report.rows if r.outcome == "skipped")
            self.notice = act.text("users.import_done", created=report.created, skipped=skipped)
            self._reload(act)
        else:  # the service wrote nothing: every row must be right first
            self.error = act.text("users.import_failed")
