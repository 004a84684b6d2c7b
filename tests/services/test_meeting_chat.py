"""Meeting chat: files checked by content and the tenant's limits, encrypted at rest,
readable by the participants of that meeting only; node reports signed or refused."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session, select

from app.api.server import build_api
from app.models import AuditEvent, ChatMessage, MeetingFile, MeetingParticipant, Tenant
from app.services import media_signals, meeting_chat, meetings
from app.services.errors import AccessDenied, InvalidInput, NotFound
from tests.factories import TenantWorld
from tests.services.test_meetings import guest, host_of


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "#224488").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def pair(db: Session, alpha: TenantWorld) -> tuple[meetings.Attendee, meetings.Attendee]:
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Schadenbesichtigung").room
    db.commit()
    host = host_of(db, alpha, room)
    return host, guest(db, alpha, host)


def test_text_line_is_stored_and_listed_with_its_author(
    db: Session, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    host, eva = pair
    meeting_chat.post_message(db, eva, "  Guten Tag!  ")
    db.commit()
    [line] = meeting_chat.list_chat(db, host)
    assert (line.author, line.author_key, line.text) == ("Eva Gast", eva.key, "Guten Tag!")
    with pytest.raises(InvalidInput, match=r"chat\.empty"):
        meeting_chat.post_message(db, eva, "   ")


@pytest.mark.parametrize(("name", "data"), [("Police.pdf", pdf()), ("Schaden.png", png())])
def test_shared_file_is_encrypted_at_rest_and_downloads_unchanged(
    db: Session, pair: tuple[meetings.Attendee, meetings.Attendee], name: str, data: bytes
) -> None:
    host, eva = pair
    line = meeting_chat.share_file(db, eva, name, data)
    db.commit()
    stored = db.get(MeetingFile, line.file_id)
    assert stored is not None and data[:16] not in stored.data and len(stored.data) > len(data)
    download = meeting_chat.open_file(db, host, str(line.file_id))
    assert (download.data, download.filename) == (data, name)
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "meeting.file_shared")).one()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rechnung.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),  # a Windows program
        ("bild.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20),  # a broken image
        ("doc.pdf", b"%PDF-1.7\n this is not a pdf"),
    ],
)
def test_disguised_or_broken_file_is_refused_and_nothing_is_stored(
    db: Session, pair: tuple[meetings.Attendee, meetings.Attendee], name: str, data: bytes
) -> None:
    _host, eva = pair
    with pytest.raises(InvalidInput, match=r"chat\.file_type"):
        meeting_chat.share_file(db, eva, name, data)
    db.rollback()
    assert db.exec(select(MeetingFile)).all() == []
    assert db.exec(select(ChatMessage)).all() == []


def test_tenant_limits_decide_size_and_types(
    db: Session, alpha: TenantWorld, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    _host, eva = pair
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    tenant.meeting_file_max_mb = 1
    tenant.meeting_file_types = ["pdf"]
    db.add(tenant)
    db.commit()
    with pytest.raises(InvalidInput, match=r"chat\.file_type") as refused:
        meeting_chat.share_file(db, eva, "foto.png", png())
    assert refused.value.params == {"allowed": "PDF"}
    with pytest.raises(InvalidInput, match=r"chat\.file_too_large"):
        meeting_chat.share_file(db, eva, "gross.txt", b"a" * (1024 * 1024 + 1))


def test_the_rules_the_room_shows_are_the_ones_the_server_applies(
    db: Session, alpha: TenantWorld, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    _host, eva = pair
    rules = meeting_chat.file_rules(db, eva)
    assert (rules.max_mb, rules.allowed) == (10, "PDF, PNG, JPEG, TXT")
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    tenant.meeting_file_max_mb, tenant.meeting_file_types = 2, ["txt", "pdf"]
    db.add(tenant)
    db.commit()
    rules = meeting_chat.file_rules(db, eva)
    assert (rules.max_mb, rules.max_bytes, rules.allowed) == (2, 2 * 1024 * 1024, "PDF, TXT")
    meeting_chat.share_file(db, eva, "genau.txt", b"a" * rules.max_bytes)
    with pytest.raises(InvalidInput, match=r"chat\.file_too_large") as refused:
        meeting_chat.share_file(db, eva, "zu-gross.txt", b"a" * (rules.max_bytes + 1))
    assert refused.value.params == {"limit": 2}


def test_file_of_another_meeting_cannot_be_opened(
    db: Session, alpha: TenantWorld, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    host, eva = pair
    line = meeting_chat.share_file(db, eva, "notiz.txt", b"Schaden am 3.11.")
    other_room = meetings.start_meeting(db, alpha.advisor_ctx, "Andere").room
    db.commit()
    other_host = host_of(db, alpha, other_room)
    with pytest.raises(NotFound):
        meeting_chat.open_file(db, other_host, str(line.file_id))
    assert meeting_chat.open_file(db, host, str(line.file_id)).filename == "notiz.txt"


def test_file_name_is_cleaned_and_gets_the_real_extension(
    db: Session, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    _host, eva = pair
    line = meeting_chat.share_file(db, eva, "../../etc/<script>.pdf", png())
    assert line.filename == "_script_.png"


def test_media_node_presence_report_must_be_signed(
    db: Session, alpha: TenantWorld, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    host, _eva = pair
    api = TestClient(build_api())
    assert api.post("/api/media/events", content="forged.token.value").status_code == 403
    good = media_signals.sign_presence(host.room, host.key, True)
    assert api.post("/api/media/events", content=good).status_code == 204
    db.expire_all()
    row = db.exec(select(MeetingParticipant).where(MeetingParticipant.key == host.key)).one()
    assert row.online


def test_moderator_snapshot_of_a_participant_lands_in_the_chat_and_is_audited(
    db: Session, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    host, eva = pair
    line = meeting_chat.share_snapshot(db, host, eva.key, png())
    db.commit()
    assert line.text == "📷 Eva Gast" and line.filename.startswith("snapshot-Eva Gast-")
    assert meeting_chat.open_file(db, eva, str(line.file_id)).data == png()
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "meeting.snapshot_taken")).one()
    assert event.details["participant"] == eva.key


def test_snapshot_is_moderator_only_and_must_be_a_picture(
    db: Session, pair: tuple[meetings.Attendee, meetings.Attendee]
) -> None:
    host, eva = pair
    with pytest.raises(AccessDenied):
        meeting_chat.share_snapshot(db, eva, host.key, png())
    with pytest.raises(InvalidInput, match=r"chat\.snapshot_invalid"):
        meeting_chat.share_snapshot(db, host, eva.key, b"%PDF-1.4 not a picture")
    with pytest.raises(NotFound):
        meeting_chat.share_snapshot(db, host, "nobody", png())
