"""Meetings: who gets into a room, what the moderator may do, and what the room hears of it."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, MeetingParticipant, OutboundMail, Tenant
from app.services import (
    join_tokens,
    mail_outbox,
    media_pass,
    meeting_moderation,
    meetings,
    room_bus,
    sessions,
)
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.meetings import Attendee
from tests.factories import TenantWorld


def link_secret(link: str) -> str:
    return parse_qs(urlparse(link).query)["k"][0]


def host_of(db: Session, world: TenantWorld, room: str) -> Attendee:
    token = sessions.open_session(db, world.advisor, second_factor_passed=True)
    assert world.tenant.id is not None
    return meetings.authorize_attendee(db, world.tenant.id, room, session_token=token)


def guest(db: Session, world: TenantWorld, host: Attendee, name: str = "Eva Gast") -> Attendee:
    link = meetings.invite(db, host, name="")
    db.commit()
    assert world.tenant.id is not None
    entering = meetings.authorize_attendee(
        db, world.tenant.id, host.room, link_secret=link_secret(link)
    )
    joined = meetings.join(db, entering, name=name, consent=True)
    db.commit()
    return joined


@pytest.fixture
def room(db: Session, alpha: TenantWorld) -> str:
    meeting = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung Hausrat")
    db.commit()
    return meeting.room


def test_advisor_opens_a_room_and_hosts_it_as_moderator_and_presenter(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    assert host.is_moderator and host.joined
    views = meetings.list_participants(db, host)
    assert [(v.name, v.role, v.presenter) for v in views] == [
        (alpha.advisor.display_name, "moderator", True)
    ]
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "meeting.started")).first()


def test_a_customer_cannot_open_a_room(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AccessDenied):
        meetings.start_meeting(db, alpha.customer_ctx, "Meins")


def test_guest_enters_with_personal_link_after_consent_and_name(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    link = meetings.invite(db, host, name="", email="eva@example.org", locale="en")
    db.commit()
    assert link.startswith("http") and f"/meeting/{room}?k=" in link
    mail = db.exec(select(OutboundMail).where(OutboundMail.to_address == "eva@example.org")).one()
    assert link in mail_outbox.recipient_copy(mail).text and link not in mail.body_text
    assert alpha.tenant.id is not None
    entering = meetings.authorize_attendee(db, alpha.tenant.id, room, link_secret=link_secret(link))
    assert not entering.joined and not entering.is_moderator
    with pytest.raises(InvalidInput, match="consent_required"):
        meetings.join(db, entering, name="Eva", consent=False)
    with pytest.raises(InvalidInput, match="name_required"):
        meetings.join(db, entering, name="  ", consent=True)
    joined = meetings.join(db, entering, name="  Eva   Gast ", consent=True)
    db.commit()
    assert joined.name == "Eva Gast" and joined.joined
    assert [v.name for v in meetings.list_participants(db, host)][-1] == "Eva Gast"
    consent = db.exec(select(AuditEvent).where(AuditEvent.action == "meeting.joined")).one()
    assert consent.details == {"participant": joined.key, "consent": True}


def test_unknown_link_or_another_tenant_finds_no_room(
    db: Session, alpha: TenantWorld, beta: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    secret = link_secret(meetings.invite(db, host, name="Eva"))
    db.commit()
    assert alpha.tenant.id is not None and beta.tenant.id is not None
    with pytest.raises(NotFound):
        meetings.authorize_attendee(db, alpha.tenant.id, room, link_secret="guessed")
    with pytest.raises(NotFound):
        meetings.authorize_attendee(db, beta.tenant.id, room, link_secret=secret)
    beta_token = sessions.open_session(db, beta.advisor, second_factor_passed=True)
    with pytest.raises(AccessDenied):
        meetings.authorize_attendee(db, alpha.tenant.id, room, session_token=beta_token)


def test_another_advisor_of_the_tenant_is_not_let_in_by_session(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    assert alpha.tenant.id is not None
    with pytest.raises(AccessDenied):
        meetings.authorize_attendee(db, alpha.tenant.id, room, session_token=token)


def test_locked_room_keeps_newcomers_out_but_lets_joined_people_back(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    eva = guest(db, alpha, host)
    newcomer_link = meetings.invite(db, host, name="Max")
    meeting_moderation.set_locked(db, host, True)
    db.commit()
    assert alpha.tenant.id is not None
    newcomer = meetings.authorize_attendee(
        db, alpha.tenant.id, room, link_secret=link_secret(newcomer_link)
    )
    with pytest.raises(InvalidInput, match=r"meeting\.locked"):
        meetings.join(db, newcomer, name="Max", consent=True)
    assert meetings.join(db, eva, name="", consent=True).joined


def test_removed_participant_is_refused_from_then_on_and_it_is_audited(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    link = meetings.invite(db, host, name="Eva")
    db.commit()
    assert alpha.tenant.id is not None
    eva = meetings.join(
        db,
        meetings.authorize_attendee(db, alpha.tenant.id, room, link_secret=link_secret(link)),
        name="Eva",
        consent=True,
    )
    meeting_moderation.remove_participant(db, host, eva.key)
    db.commit()
    with pytest.raises(AccessDenied, match=r"meeting\.removed"):
        meetings.authorize_attendee(db, alpha.tenant.id, room, link_secret=link_secret(link))
    event = db.exec(
        select(AuditEvent).where(AuditEvent.action == "meeting.participant_removed")
    ).one()
    assert event.details == {"participant": eva.key}
    assert event.actor_id == alpha.advisor.id


def test_only_the_moderator_moderates(db: Session, alpha: TenantWorld, room: str) -> None:
    host = host_of(db, alpha, room)
    eva = guest(db, alpha, host)
    for action in (
        lambda: meeting_moderation.remove_participant(db, eva, host.key),
        lambda: meeting_moderation.set_presenter(db, eva, eva.key),
        lambda: meeting_moderation.set_locked(db, eva, True),
        lambda: meetings.invite(db, eva, name="Friend"),
        lambda: meeting_moderation.end_meeting(db, eva),
    ):
        with pytest.raises(AccessDenied):
            action()


def test_presenter_handover_reaches_the_join_token(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    eva = guest(db, alpha, host)
    meeting_moderation.set_presenter(db, host, eva.key)
    db.commit()
    views = {v.key: v for v in meetings.list_participants(db, host)}
    assert views[eva.key].presenter and not views[host.key].presenter
    media = media_pass.issue_pass(eva, presenter=meetings.get_meeting(db, eva).presenter_key)
    grant = join_tokens.verify(media.token)
    assert (grant.room, grant.participant, grant.role, grant.presenter) == (
        room,
        eva.key,
        "participant",
        eva.key,
    )
    assert media.signaling_url.endswith("/ws")


async def test_room_events_reach_listeners_only_after_commit(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    received: list[dict[str, object]] = []

    async def listen() -> None:
        async for event in room_bus.listen(room):
            received.append(event)

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    meeting_moderation.set_locked(db, host, True)
    await asyncio.sleep(0.05)
    assert received == []  # not committed yet
    db.commit()
    for _ in range(50):
        if received:
            break
        await asyncio.sleep(0.02)
    task.cancel()
    assert received == [{"type": "locked", "locked": True}]


def test_presence_reported_by_the_node_shows_in_the_list(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    meetings.record_presence(db, room, host.key, True)
    db.commit()
    assert meetings.list_participants(db, host)[0].online
    meetings.raise_hand(db, host, True)
    meetings.record_presence(db, room, host.key, False)
    db.commit()
    row = db.exec(select(MeetingParticipant).where(MeetingParticipant.key == host.key)).one()
    assert (row.online, row.hand_raised) == (False, False)


def test_someone_alone_in_the_room_sees_who_is_still_expected(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    meetings.invite(db, host, name="Paul Eingeladen")
    db.commit()
    assert [v.name for v in meetings.list_expected(db, host)] == ["Paul Eingeladen"]
    early = guest(db, alpha, host, name="Eva Früh")  # entered, not connected yet
    meetings.record_presence(db, room, early.key, True)
    db.commit()
    # The guest connected: no longer expected; the host (not connected) is, for the guest.
    assert [v.name for v in meetings.list_expected(db, host)] == ["Paul Eingeladen"]
    seen_by_guest = meetings.list_expected(db, early)
    assert [(v.name, v.role) for v in seen_by_guest] == [
        (alpha.advisor.display_name, "moderator"),
        ("Paul Eingeladen", "participant"),
    ]
    paul = next(v for v in seen_by_guest if v.name == "Paul Eingeladen")
    meeting_moderation.remove_participant(db, host, paul.key)
    db.commit()
    assert meetings.list_expected(db, host) == []


def test_a_guest_in_the_lobby_is_not_expected_but_waiting(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    tenant.meeting_lobby = True
    db.add(tenant)
    db.commit()
    host = host_of(db, alpha, room)
    guest(db, alpha, host, name="Eva Wartend")
    assert meetings.list_expected(db, host) == []
    assert [w.name for w in meeting_moderation.list_waiting(db, host)] == ["Eva Wartend"]


def test_with_a_lobby_guests_wait_until_admitted_and_get_no_media_pass_before(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None
    tenant.meeting_lobby = True
    db.add(tenant)
    db.commit()
    host = host_of(db, alpha, room)
    waiting = guest(db, alpha, host, name="Eva Wartend")
    assert not waiting.admitted
    assert [w.name for w in meeting_moderation.list_waiting(db, host)] == ["Eva Wartend"]
    assert meeting_moderation.list_waiting(db, waiting) == []
    assert "Eva Wartend" not in [v.name for v in meetings.list_participants(db, host)]
    with pytest.raises(AccessDenied, match=r"meeting\.waiting"):
        media_pass.issue_pass(waiting, presenter=None)
    with pytest.raises(AccessDenied, match=r"meeting\.waiting"):
        meetings.list_participants(db, waiting)
    meeting_moderation.admit(db, host, waiting.key)
    db.commit()
    row = db.exec(select(MeetingParticipant).where(MeetingParticipant.key == waiting.key)).one()
    assert row.admitted_at is not None
    assert meeting_moderation.list_waiting(db, host) == []
    assert "Eva Wartend" in [v.name for v in meetings.list_participants(db, host)]


def test_guests_of_a_suspended_tenant_are_refused_everywhere(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    host = host_of(db, alpha, room)
    link = meetings.invite(db, host, name="Eva")
    db.commit()
    tenant = db.get(Tenant, alpha.tenant.id)
    tenant.active = False
    db.add(tenant)
    db.commit()
    assert alpha.tenant.id is not None
    with pytest.raises(NotFound):  # the link (and with it the media pass) no longer works
        meetings.authorize_attendee(db, alpha.tenant.id, room, link_secret=link_secret(link))
    with pytest.raises(NotFound):
        meetings.authorize_attendee(db, alpha.tenant.id, room, session_token="x")


async def test_removing_the_presenter_gives_the_right_back_to_the_moderator_everywhere(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    from tests.polling import eventually

    host = host_of(db, alpha, room)
    eva = guest(db, alpha, host)
    meeting_moderation.set_presenter(db, host, eva.key)
    db.commit()
    received: list[dict[str, object]] = []

    async def listen() -> None:
        async for event in room_bus.listen(room):
            received.append(event)

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.05)  # the listener subscribes
    meeting_moderation.remove_participant(db, host, eva.key)
    db.commit()
    await eventually(lambda: {"type": "presenter", "key": host.key} in received)
    task.cancel()
    assert meetings.get_meeting(db, host).presenter_key == host.key
