"""Guests agree to a privacy notice they can read: the tenant's own, or the platform's default
one the tenant adopted; without either they are kept out, and a consent names its notice."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, MeetingParticipant, Tenant
from app.services import meeting_entry, meetings, tenants
from app.services.errors import InvalidInput
from app.services.meeting_settings import get_meeting_settings, update_meeting_settings
from app.services.meetings import Attendee
from app.services.privacy_notice import PLATFORM_NOTICE
from tests.factories import TenantWorld
from tests.services.test_meetings import host_of, link_secret


@pytest.fixture
def room(db: Session, alpha: TenantWorld) -> str:
    meeting = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung Hausrat")
    db.commit()
    return meeting.room


def invited_guest(db: Session, world: TenantWorld, room: str) -> Attendee:
    """A guest with a personal link who has not entered yet."""
    link = meetings.invite(db, host_of(db, world, room), name="")
    db.commit()
    assert world.tenant.id is not None
    return meetings.authorize_attendee(db, world.tenant.id, room, link_secret=link_secret(link))


def set_default_notice(db: Session, world: TenantWorld, on: bool) -> None:
    current = get_meeting_settings(db, world.admin_ctx)
    update_meeting_settings(db, world.admin_ctx, dataclasses.replace(current, default_notice=on))
    db.commit()


def consent_of(db: Session, guest: Attendee) -> tuple[str | None, dict[str, object]]:
    row = db.get(MeetingParticipant, guest.participant_id)
    assert row is not None
    db.refresh(row)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "meeting.joined")).one()
    return row.consent_notice, event.details


def test_without_a_notice_guests_are_neither_invited_nor_let_in(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    guest = invited_guest(db, alpha, room)
    tenants.update_branding(db, alpha.admin_ctx, privacy_url="")
    db.commit()
    with pytest.raises(InvalidInput) as refused:
        meetings.invite(db, host_of(db, alpha, room), name="Max")
    assert refused.value.key == "meeting.no_privacy_notice_invite"
    with pytest.raises(InvalidInput) as refused:
        meeting_entry.open_room(db, guest)
    assert refused.value.key == "meeting.no_privacy_notice"
    with pytest.raises(InvalidInput) as refused:
        meeting_entry.enter_room(db, guest, name="Eva", consent=True, notice_shown=PLATFORM_NOTICE)
    assert refused.value.key == "meeting.no_privacy_notice"
    db.rollback()
    row = db.get(MeetingParticipant, guest.participant_id)
    assert row is not None and row.consent_at is None


def test_the_host_still_enters_a_room_of_a_tenant_without_notice(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    tenants.update_branding(db, alpha.admin_ctx, privacy_url="")
    db.commit()
    door = meeting_entry.open_room(db, host_of(db, alpha, room))
    assert not door.needs_consent and door.notice is None


def test_with_the_default_notice_adopted_guests_read_it_and_the_consent_records_it(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    guest = invited_guest(db, alpha, room)
    tenants.update_branding(db, alpha.admin_ctx, privacy_url="")
    set_default_notice(db, alpha, True)
    door = meeting_entry.open_room(db, guest)
    assert door.notice is not None and door.notice.is_platform_default
    assert door.notice.label == PLATFORM_NOTICE == "platform-default@v1"
    meeting_entry.enter_room(db, guest, name="Eva", consent=True, notice_shown=door.notice.label)
    db.commit()
    notice, details = consent_of(db, guest)
    assert notice == "platform-default@v1"
    assert details == {"participant": guest.key, "consent": True, "notice": notice}


def test_the_tenants_own_notice_wins_and_its_version_counts_every_change(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    set_default_notice(db, alpha, True)  # adopted, but the tenant has its own notice
    tenants.update_branding(db, alpha.admin_ctx, privacy_url="https://alpha.example/dsgvo")
    db.commit()
    guest = invited_guest(db, alpha, room)
    door = meeting_entry.open_room(db, guest)
    assert door.notice is not None and door.notice.url == "https://alpha.example/dsgvo"
    assert door.notice.label == "https://alpha.example/dsgvo@v2"
    meeting_entry.enter_room(db, guest, name="Eva", consent=True, notice_shown=door.notice.label)
    db.commit()
    assert consent_of(db, guest)[0] == "https://alpha.example/dsgvo@v2"


def test_a_consent_to_a_notice_that_changed_since_it_was_shown_is_refused(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    guest = invited_guest(db, alpha, room)
    door = meeting_entry.open_room(db, guest)
    assert door.notice is not None
    tenants.update_branding(db, alpha.admin_ctx, privacy_url="https://alpha.example/neu")
    db.commit()
    with pytest.raises(InvalidInput) as refused:
        meeting_entry.enter_room(
            db, guest, name="Eva", consent=True, notice_shown=door.notice.label
        )
    assert refused.value.key == "meeting.notice_changed"
    db.rollback()
    row = db.get(MeetingParticipant, guest.participant_id)
    assert row is not None and row.consent_at is None and row.consent_notice is None


def test_branding_tells_pages_where_the_default_notice_applies(
    db: Session, alpha: TenantWorld
) -> None:
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    assert not tenants.branding_of(tenant).privacy_default_notice
    tenants.update_branding(db, alpha.admin_ctx, privacy_url="")
    set_default_notice(db, alpha, True)
    db.refresh(tenant)
    assert tenants.branding_of(tenant).privacy_default_notice
