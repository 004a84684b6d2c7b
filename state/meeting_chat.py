"""The room's chat: lines, the draft, file sharing and downloads."""

from __future__ import annotations

import json

import reflex as rx
from reflex.event import EventSpec

from app.i18n import format_number
from app.services import meeting_chat
from app.services.meeting_chat import ChatLine
from app.services.meeting_settings import MAX_FILE_MB
from components.meeting_panels import ChatRow
from state.meeting_access import Attending, attending

UPLOAD_ID = "meeting-chat-upload"
SNAPSHOT_UPLOAD_ID = "meeting-snapshot-upload"
MAX_LINES = 300


def _row(line: ChatLine, me: str, lang: str) -> ChatRow:
    return ChatRow(
        id=str(line.id),
        author=line.author,
        mine=line.author_key == me,
        text=line.text,
        at=line.at.isoformat(),
        file_id=str(line.file_id or ""),
        filename=line.filename,
        size=f"{format_number(round(line.size / 1024, 1), lang)} KB" if line.file_id else "",
    )


class MeetingChatState(rx.State):
    """Chat lines of the room (history on entering, then live from the room bus)."""

    lines: list[ChatRow] = []
    draft: str = ""
    error: str = ""
    unread: int = 0
    _snapshot_of: str = ""

    def _load(self, att: Attending) -> None:
        lang = att.caller.lang
        self.lines = [
            _row(line, att.attendee.key, lang)
            for line in meeting_chat.list_chat(att.db, att.attendee, limit=MAX_LINES)
        ]

    def _add(self, line: ChatLine, me: str, lang: str) -> None:
        """A line arrived on the room bus."""
        if any(row.id == str(line.id) for row in self.lines[-20:]):
            return
        self.lines = [*self.lines[-(MAX_LINES - 1) :], _row(line, me, lang)]
        if line.author_key != me:
            self.unread += 1

    @rx.event
    def set_draft(self, value: str) -> None:
        """Typing in the message field."""
        self.draft = value[: meeting_chat.TEXT_LIMIT + 1]

    @rx.event
    def mark_read(self) -> None:
        """The chat is on screen."""
        self.unread = 0

    @rx.event
    @attending
    def send(self, att: Attending, _form: dict[str, str] | None = None) -> None:
        """Send the draft (it stays in the field if sending fails)."""
        meeting_chat.post_message(att.db, att.attendee, self.draft)
        self.draft = ""

    @rx.event
    async def share_files(self, files: list[rx.UploadFile]) -> EventSpec:
        """Share the chosen file in the chat (checked by content and limits on the server)."""
        if files:
            # Read at most one byte over the platform's cap; the service applies the tenant's.
            data = await files[0].read(MAX_FILE_MB * 1024 * 1024 + 1)
            await self._share(files[0].filename or "file", data)
        return rx.clear_selected_files(UPLOAD_ID)

    @attending
    def _share(self, att: Attending, filename: str, data: bytes) -> None:
        meeting_chat.share_file(att.db, att.attendee, filename, data)

    @rx.event
    @attending
    def take_snapshot(self, att: Attending, key: str) -> EventSpec:
        """The moderator asks for a still of ``key``'s camera (taken in this browser)."""
        self._snapshot_of = meeting_chat.request_snapshot(att.db, att.attendee, key)
        return rx.call_script(
            f"window.consilioRoom && window.consilioRoom.snapshot({json.dumps(key)})"
        )

    @rx.event
    async def store_snapshot(self, files: list[rx.UploadFile]) -> EventSpec:
        """Keep the still the browser took (checked as an image on the server)."""
        data = await files[0].read(meeting_chat.SNAPSHOT_LIMIT + 1) if files else b""
        await self._store_snapshot(data)
        self._snapshot_of = ""
        return rx.clear_selected_files(SNAPSHOT_UPLOAD_ID)

    @attending
    def _store_snapshot(self, att: Attending, data: bytes) -> None:
        meeting_chat.share_snapshot(att.db, att.attendee, self._snapshot_of, data)

    @rx.event
    @attending
    def download(self, att: Attending, file_id: str) -> EventSpec:
        """Download a file of this meeting (decrypted for participants only)."""
        file = meeting_chat.open_file(att.db, att.attendee, file_id)
        return rx.download(data=file.data, filename=file.filename)
