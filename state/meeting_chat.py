"""The room's chat: lines, the draft, file sharing and downloads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from app.i18n import format_number, translate
from app.services import meeting_chat
from app.services.meeting_chat import ChatLine
from app.services.meeting_settings import MAX_FILE_MB
from components.meeting_chat import ChatRow
from state.guard import caller_of
from state.meeting_access import Attending, attending

UPLOAD_ID = "meeting-chat-upload"
SNAPSHOT_UPLOAD_ID = "meeting-snapshot-upload"
MAX_LINES = 300
ANNOUNCED_CHARS = 200  # a screen reader reads the start of a long message


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
    """Chat lines of the room (history on entering, then live from the room bus).

    ``unread`` counts only lines that arrive while the chat panel is not on screen: the
    panel reports when it is shown and hidden (``mark_read`` / ``chat_hidden``).
    """

    lines: list[ChatRow] = []
    draft: str = ""
    error: str = ""
    refusal: str = ""  # why the browser refused the chosen file, shown next to the button
    unread: int = 0
    file_max_mb: int = MAX_FILE_MB  # the tenant's limit once the room is entered
    file_kinds: str = ""  # "PDF, PNG, JPEG, TXT"
    uploading: bool = False
    _cancelled: bool = False
    upload_percent: int = 0
    announcement: str = ""  # "New message from Eva: ..." for screen readers
    announced: int = 0  # counts announcements, so the same words are read out again
    _open: bool = False
    _snapshot_of: str = ""

    def _load(self, att: Attending) -> None:
        lang = att.caller.lang
        self.lines = [
            _row(line, att.attendee.key, lang)
            for line in meeting_chat.list_chat(att.db, att.attendee, limit=MAX_LINES)
        ]
        rules = meeting_chat.file_rules(att.db, att.attendee)
        self.file_max_mb, self.file_kinds = rules.max_mb, rules.allowed
        self.unread, self._open, self.uploading, self.refusal = 0, False, False, ""

    def _add(self, line: ChatLine, me: str, lang: str) -> None:
        """A line arrived on the room bus."""
        if any(row.id == str(line.id) for row in self.lines[-20:]):
            return
        self.lines = [*self.lines[-(MAX_LINES - 1) :], _row(line, me, lang)]
        if line.author_key == me:
            return
        if not self._open:
            self.unread += 1
        said = (line.text or line.filename)[:ANNOUNCED_CHARS]
        self.announcement = translate(lang, "meeting.chat_new_message", name=line.author, text=said)
        self.announced += 1

    @rx.event
    def set_draft(self, value: str) -> None:
        """Typing in the message field."""
        self.draft = value[: meeting_chat.TEXT_LIMIT + 1]

    @rx.event
    def mark_read(self) -> None:
        """The chat is on screen: everything in it counts as read until it is hidden."""
        self._open, self.unread = True, 0

    @rx.event
    def chat_hidden(self) -> None:
        """The chat left the screen (another tab, or the room closed)."""
        self._open = False

    @rx.event
    @attending
    def send(self, att: Attending, _form: dict[str, str] | None = None) -> None:
        """Send the draft (it stays in the field if sending fails)."""
        meeting_chat.post_message(att.db, att.attendee, self.draft)
        self.draft = ""

    @rx.event
    def upload_started(self) -> None:
        """The chosen file is on its way (the progress bar shows from here)."""
        self.uploading, self.upload_percent, self.error, self.refusal = True, 0, "", ""
        self._cancelled = False

    @rx.event
    def upload_progressed(self, progress: dict[str, Any]) -> None:
        """The browser reports how much of the file it has sent (ignored once it is done)."""
        if not self.uploading:
            return
        try:
            share = float(progress.get("progress", 0))
        except (TypeError, ValueError):
            return
        self.upload_percent = max(self.upload_percent, min(100, max(0, int(share * 100))))

    @rx.event
    def upload_cancelled(self) -> None:
        """The participant stopped the upload (the browser aborted it; nothing reached the
        handler, so nothing was stored). The file stays chosen, to try again."""
        self.uploading, self.upload_percent = False, 0
        self._cancelled = True  # a body that had fully arrived is dropped, not shared

    @rx.event
    async def file_refused(self, reasons: list[str]) -> None:
        """The browser refused the chosen file before sending it (``reasons``: its codes,
        e.g. "file-too-large"): say why in the participant's language. The server applies
        the same limits to whatever it receives."""
        caller = await caller_of(self)
        if "too-many-files" in reasons:
            self.refusal = caller.text("chat.one_file")
        elif "file-too-large" in reasons:
            self.refusal = caller.text("chat.file_too_large", limit=self.file_max_mb)
        else:
            self.refusal = caller.text("chat.file_type", allowed=self.file_kinds)

    @rx.event
    async def share_files(self, files: list[rx.UploadFile]) -> AsyncIterator[EventSpec | None]:
        """Share the chosen file in the chat (checked by content and limits on the server)."""
        self.upload_percent = 100 if self.uploading else 0  # all sent; now it is checked
        yield None
        if files and not self._cancelled:
            # Read at most one byte over the platform's cap; the service applies the tenant's.
            data = await files[0].read(MAX_FILE_MB * 1024 * 1024 + 1)
            await self._share(files[0].filename or "file", data)
        self.uploading, self.upload_percent = False, 0
        yield rx.clear_selected_files(UPLOAD_ID)

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
