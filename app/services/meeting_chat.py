"""A meeting's chat: text lines and files, for the participants of that meeting only.

Files are checked by their content (not their name) against the tenant's size and type
limits, and stored encrypted (AES-GCM; the meeting is bound in as associated data, so a
stored file cannot be moved to another meeting and still open).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlmodel import Session, col, select

from app.models import ChatMessage, MeetingFile, MeetingParticipant, Tenant
from app.services import keys, meetings
from app.services.errors import InvalidInput, NotFound
from app.services.meetings import Attendee

TEXT_LIMIT = 2000
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "txt": ".txt"}
LEGACY_LABEL = b"consilio-meeting-files:"  # key derivation of files stored before HKDF


@dataclasses.dataclass(frozen=True)
class ChatLine:
    """One chat line as participants see it."""

    id: int
    author: str
    author_key: str
    text: str
    at: dt.datetime
    file_id: int | None = None
    filename: str = ""
    size: int = 0

    def as_event(self) -> dict[str, object]:
        """The line as a room event (JSON)."""
        return {"type": "chat", "line": {**dataclasses.asdict(self), "at": self.at.isoformat()}}


def line_from_event(data: dict[str, object]) -> ChatLine:
    """Rebuild a line from :meth:`ChatLine.as_event`'s ``line``."""
    values = dict(data)
    values["at"] = dt.datetime.fromisoformat(str(values["at"]))
    return ChatLine(**values)  # type: ignore[arg-type]


def _bound_to(tenant_id: int, meeting_id: int) -> bytes:
    return f"meeting-file:{tenant_id}:{meeting_id}".encode()


def _encrypt(data: bytes, tenant_id: int, meeting_id: int) -> bytes:
    nonce = os.urandom(12)
    key = keys.current_key(keys.Purpose.MEETING_FILES)
    return nonce + AESGCM(key).encrypt(nonce, data, _bound_to(tenant_id, meeting_id))


def _decrypt(blob: bytes, tenant_id: int, meeting_id: int) -> bytes:
    """Decrypt with the current key, a previous secret's, or the pre-HKDF derivation
    (files shared before keys were derived per purpose stay readable)."""
    bound = _bound_to(tenant_id, meeting_id)
    candidates = keys.decryption_keys(keys.Purpose.MEETING_FILES)
    for key in [*candidates, *keys.legacy_keys(LEGACY_LABEL)]:
        try:
            return AESGCM(key).decrypt(blob[:12], blob[12:], bound)
        except InvalidTag:
            continue
    raise ValueError("meeting file cannot be decrypted with the configured key")


def reencrypt_stored_file(file: MeetingFile) -> None:
    """Encrypt a stored file again under the current key (for dropping a previous key)."""
    data = _decrypt(file.data, file.tenant_id, file.meeting_id)
    file.data = _encrypt(data, file.tenant_id, file.meeting_id)


def detect_type(data: bytes) -> str | None:
    """What the bytes really are: "pdf", "png", "jpeg", "txt", or None for anything else."""
    if data.startswith(b"%PDF-"):
        try:
            PdfReader(io.BytesIO(data), strict=False).pages[0]
        except (PdfReadError, IndexError, ValueError, KeyError, TypeError):
            return None
        return "pdf"
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                kind = (image.format or "").lower()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None
        return kind if kind in ("png", "jpeg") else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return None
    return "txt"


def _safe_filename(raw: str, kind: str) -> str:
    stem = os.path.splitext(os.path.basename(raw.replace("\\", "/")))[0]
    stem = re.sub(r"[^\w .()-]+", "_", stem).strip(" .")[:100] or "file"
    return stem + EXTENSIONS[kind]


def _author(session: Session, participant_id: int) -> MeetingParticipant:
    participant = session.get(MeetingParticipant, participant_id)
    assert participant is not None
    return participant


def _line(session: Session, message: ChatMessage, file: MeetingFile | None = None) -> ChatLine:
    author = _author(session, message.participant_id)
    assert message.id is not None
    return ChatLine(
        id=message.id,
        author=author.name,
        author_key=author.key,
        text=message.text,
        at=message.created_at,
        file_id=file.id if file else None,
        filename=file.filename if file else "",
        size=file.size if file else 0,
    )


def _publish(session: Session, attendee: Attendee, line: ChatLine) -> None:
    meetings.publish_after_commit(session, attendee.room, line.as_event())


def post_message(session: Session, attendee: Attendee, text: str) -> ChatLine:
    """Say something in the chat."""
    meetings.require_in_room(attendee)
    text = text.strip()
    if not text:
        raise InvalidInput("chat.empty")
    if len(text) > TEXT_LIMIT:
        raise InvalidInput("chat.too_long", limit=TEXT_LIMIT)
    message = ChatMessage(
        tenant_id=attendee.tenant_id,
        meeting_id=attendee.meeting_id,
        participant_id=attendee.participant_id,
        text=text,
    )
    session.add(message)
    session.flush()
    line = _line(session, message)
    _publish(session, attendee, line)
    return line


def _store_file(
    session: Session, attendee: Attendee, filename: str, kind: str, data: bytes
) -> MeetingFile:
    file = MeetingFile(
        tenant_id=attendee.tenant_id,
        meeting_id=attendee.meeting_id,
        filename=_safe_filename(filename, kind),
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=_encrypt(data, attendee.tenant_id, attendee.meeting_id),
    )
    session.add(file)
    session.flush()
    return file


@dataclasses.dataclass(frozen=True)
class FileRules:
    """What participants of a tenant may share: the largest file and the kinds of file.

    The room shows them before anyone picks a file, and the browser refuses a larger file
    at once; :func:`share_file` applies the same rules on the server, where they count.
    """

    max_mb: int
    kinds: tuple[str, ...]

    @property
    def max_bytes(self) -> int:
        """The largest file, in bytes."""
        return self.max_mb * 1024 * 1024

    @property
    def allowed(self) -> str:
        """The kinds as people know them ("PDF, PNG, JPEG, TXT")."""
        return ", ".join(kind.upper() for kind in self.kinds)


def file_rules(session: Session, attendee: Attendee) -> FileRules:
    """The attendee's tenant's file rules."""
    tenant = session.get(Tenant, attendee.tenant_id)
    assert tenant is not None
    kinds = tuple(kind for kind in CONTENT_TYPES if kind in tenant.meeting_file_types)
    return FileRules(tenant.meeting_file_max_mb, kinds)


def share_file(session: Session, attendee: Attendee, filename: str, data: bytes) -> ChatLine:
    """Share a file in the chat, after checking it against the tenant's limits.

    Raises:
        InvalidInput: ``chat.file_too_large`` or ``chat.file_type`` (nothing is stored).
    """
    meetings.require_in_room(attendee)
    rules = file_rules(session, attendee)
    if len(data) > rules.max_bytes:
        raise InvalidInput("chat.file_too_large", limit=rules.max_mb)
    kind = detect_type(data) if data else None
    if kind is None or kind not in rules.kinds:
        raise InvalidInput("chat.file_type", allowed=rules.allowed)
    file = _store_file(session, attendee, filename, kind, data)
    message = ChatMessage(
        tenant_id=attendee.tenant_id,
        meeting_id=attendee.meeting_id,
        participant_id=attendee.participant_id,
        file_id=file.id,
    )
    session.add(message)
    session.flush()
    meetings.audit_event(
        session, attendee, "meeting.file_shared", file=file.id, name=file.filename,
        size=file.size, sha256=file.sha256,
    )  # fmt: skip
    line = _line(session, message, file)
    _publish(session, attendee, line)
    return line


SNAPSHOT_LIMIT = 5 * 1024 * 1024


def request_snapshot(session: Session, attendee: Attendee, participant_key: str) -> str:
    """The moderator asks for a still of ``participant_key``'s camera; their browser takes it
    from the picture it already shows and sends it with :func:`share_snapshot`.

    Returns:
        The participant's key (checked: someone in this meeting).

    Raises:
        AccessDenied: not the moderator. NotFound: no such participant.
    """
    meetings.require_moderator(attendee)
    return meetings.participant_by_key(session, attendee, participant_key).key


def share_snapshot(
    session: Session, attendee: Attendee, participant_key: str, data: bytes
) -> ChatLine:
    """The moderator's still picture of a participant's camera (e.g. a damage to inspect).

    It goes into the meeting's files and its chat, so the participant sees what was taken.

    Raises:
        AccessDenied: not the moderator. NotFound: no such participant.
        InvalidInput: not a PNG/JPEG picture, or larger than 5 MB.
    """
    meetings.require_moderator(attendee)
    target = meetings.participant_by_key(session, attendee, participant_key)
    kind = detect_type(data) if 0 < len(data) <= SNAPSHOT_LIMIT else None
    if kind not in ("png", "jpeg"):
        raise InvalidInput("chat.snapshot_invalid")
    assert kind is not None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    file = _store_file(session, attendee, f"snapshot-{target.name}-{stamp}", kind, data)
    message = ChatMessage(
        tenant_id=attendee.tenant_id,
        meeting_id=attendee.meeting_id,
        participant_id=attendee.participant_id,
        text=f"📷 {target.name}",
        file_id=file.id,
    )
    session.add(message)
    session.flush()
    meetings.audit_event(
        session, attendee, "meeting.snapshot_taken", participant=target.key, file=file.id,
        sha256=file.sha256,
    )  # fmt: skip
    line = _line(session, message, file)
    _publish(session, attendee, line)
    meetings.publish_after_commit(session, attendee.room, {"type": "snapshot", "key": target.key})
    return line


def list_chat(session: Session, attendee: Attendee, *, limit: int = 200) -> list[ChatLine]:
    """The latest ``limit`` lines, oldest first."""
    meetings.require_in_room(attendee)
    messages = session.exec(
        select(ChatMessage)
        .where(ChatMessage.meeting_id == attendee.meeting_id)
        .order_by(col(ChatMessage.id).desc())
        .limit(limit)
    ).all()
    file_ids = [m.file_id for m in messages if m.file_id is not None]
    files = {
        f.id: f
        for f in session.exec(select(MeetingFile).where(col(MeetingFile.id).in_(file_ids))).all()
    }
    return [_line(session, m, files.get(m.file_id)) for m in reversed(messages)]


@dataclasses.dataclass(frozen=True)
class FileDownload:
    """A decrypted file for one participant."""

    filename: str
    content_type: str
    data: bytes


def open_file(session: Session, attendee: Attendee, file_id: int | str) -> FileDownload:
    """A file shared in the attendee's own meeting (NotFound for any other)."""
    meetings.require_in_room(attendee)
    try:
        wanted = int(file_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    file = session.get(MeetingFile, wanted)
    if file is None or file.meeting_id != attendee.meeting_id:
        raise NotFound()
    data = _decrypt(file.data, attendee.tenant_id, attendee.meeting_id)
    return FileDownload(file.filename, file.content_type, data)
