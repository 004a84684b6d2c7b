"""The admin's meeting settings card (on the branding & settings page)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.services import meeting_settings, tenants
from app.services.guard import ADMINS
from state.guard import Acting, acting


class MeetingSettingsState(rx.State):
    """Chat file limits, camera/microphone default, lobby, feedback text and the privacy
    notice guests read (the platform's default, while the tenant has no own one)."""

    file_max_mb: str = "10"
    file_types: list[str] = []
    media_on: bool = True
    lobby: bool = False
    default_notice: bool = False
    feedback_text: str = ""
    feedback_url: str = ""
    error: str = ""
    notice: str = ""

    def _show(self, current: meeting_settings.MeetingSettings) -> None:
        self.file_max_mb = str(current.file_max_mb)
        self.file_types = current.file_types
        self.media_on = current.media_on
        self.feedback_text = current.feedback_text
        self.feedback_url = current.feedback_url
        self.lobby = current.lobby
        self.default_notice = current.default_notice

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """Current settings."""
        self._show(meeting_settings.get_meeting_settings(act.db, act.ctx))

    @rx.event
    def toggle_type(self, kind: str, on: bool) -> None:
        """Tick or untick a file type (saved with the form)."""
        if kind in meeting_settings.FILE_TYPES:
            chosen = set(self.file_types) | {kind} if on else set(self.file_types) - {kind}
            self.file_types = [t for t in meeting_settings.FILE_TYPES if t in chosen]

    @rx.event
    def set_media_on(self, on: bool) -> None:
        """Participants enter with camera and microphone on (or off)."""
        self.media_on = bool(on)

    @rx.event
    def set_lobby(self, on: bool) -> None:
        """Guests wait in a lobby until the advisor lets them in (or enter at once)."""
        self.lobby = bool(on)

    @rx.event
    def set_default_notice(self, on: bool) -> None:
        """Guests read the platform's default privacy notice (while there is no own one)."""
        self.default_notice = bool(on)

    @rx.event
    @acting(ADMINS)
    def save(self, act: Acting, form: dict[str, Any]) -> None:
        """Validate and store; nothing changes when a value is refused."""
        try:
            size = int(str(form.get("file_max_mb", "")).strip())
        except ValueError:
            size = 0
        wanted = meeting_settings.MeetingSettings(
            file_max_mb=size,
            file_types=list(self.file_types),
            media_on=self.media_on,
            feedback_text=str(form.get("feedback_text", "")),
            feedback_url=str(form.get("feedback_url", "")),
            lobby=self.lobby,
            default_notice=self.default_notice,
        )
        tenant = meeting_settings.update_meeting_settings(act.db, act.ctx, wanted)
        act.caller.tenant._apply(tenants.branding_of(tenant))  # the footer's privacy link
        self._show(meeting_settings.get_meeting_settings(act.db, act.ctx))
        self.notice = act.text("meeting_settings.saved")
