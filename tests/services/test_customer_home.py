"""A customer's start page: the meetings they were invited to, their advisors, and entering
an open meeting with their session (never through someone's link)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import MeetingParticipant
from app.services import customer_home, meeting_entry, meeting_moderation, meetings, sessions
from app.services.errors import AccessDenied, NotFound
from tests.factories import TenantWorld
from tests.services.test_meetings import host_of


def meeting_with(db: Session, world: TenantWorld, title: str, email: str) -> str:
    """A meeting of the world's advisor with ``email`` invited; its room."""
    room = meetings.start_meeting(db, world.advisor_ctx, title).room
    db.commit()
    meetings.invite(db, host_of(db, world, room), name="", email=email, locale="de")
    db.commit()
    return room


def test_customer_sees_meetings_at_their_address_and_who_invited_them(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    open_room = meeting_with(db, alpha, "Hausrat-Check", "Customer@Alpha.example")
    past_room = meeting_with(db, alpha, "Vorsorge", "customer@alpha.example")
    meeting_moderation.end_meeting(db, host_of(db, alpha, past_room))
    db.commit()
    meeting_with(db, alpha, "Fremd", "someone@example.org")
    meeting_with(db, beta, "Andere Firma", "customer@alpha.example")  # another tenant

    home = customer_home.get_customer_home(db, alpha.customer_ctx)

    assert [(m.room, m.title, m.can_join) for m in home.open_meetings] == [
        (open_room, "Hausrat-Check", True)
    ]
    assert [(m.title, m.advisor) for m in home.past_meetings] == [
        ("Vorsorge", alpha.advisor.display_name)
    ]
    assert [(a.name, a.email) for a in home.advisors] == [
        (alpha.advisor.display_name, alpha.advisor.email)
    ]


def test_a_customer_without_meetings_has_an_empty_home(db: Session, alpha: TenantWorld) -> None:
    home = customer_home.get_customer_home(db, alpha.customer_ctx)
    assert (home.advisors, home.open_meetings, home.past_meetings) == ([], [], [])


def test_customer_enters_an_open_meeting_with_their_session_after_consenting(
    db: Session, alpha: TenantWorld
) -> None:
    room = meeting_with(db, alpha, "Hausrat-Check", alpha.customer.email)
    assert customer_home.take_seat(db, alpha.customer_ctx, room) == room
    db.commit()
    token = sessions.open_session(db, alpha.customer, second_factor_passed=True)
    assert alpha.tenant.id is not None
    attendee = meetings.authorize_attendee(db, alpha.tenant.id, room, session_token=token)
    assert attendee.name == alpha.customer.display_name  # the join screen asks no stranger
    door = meeting_entry.open_room(db, attendee)
    assert door.needs_consent and door.notice is not None
    entry = meeting_entry.enter_room(
        db, attendee, name=alpha.customer.display_name, consent=True, notice_shown=door.notice.label
    )
    assert entry.attendee.joined
    # Taking the seat again (a second click) changes nothing.
    assert customer_home.take_seat(db, alpha.customer_ctx, room) == room


@pytest.mark.parametrize("case", ["someone_elses", "ended", "unknown"])
def test_customer_cannot_take_a_seat_that_is_not_theirs_or_not_open(
    db: Session, alpha: TenantWorld, case: str
) -> None:
    email = "someone@example.org" if case == "someone_elses" else alpha.customer.email
    room = meeting_with(db, alpha, "Beratung", email)
    if case == "ended":
        meeting_moderation.end_meeting(db, host_of(db, alpha, room))
        db.commit()
    with pytest.raises(NotFound):
        customer_home.take_seat(db, alpha.customer_ctx, "nope" if case == "unknown" else room)


def test_a_removed_customer_sees_the_meeting_but_cannot_join(
    db: Session, alpha: TenantWorld
) -> None:
    room = meeting_with(db, alpha, "Beratung", alpha.customer.email)
    seat = db.exec(
        select(MeetingParticipant).where(MeetingParticipant.email == alpha.customer.email)
    ).one()
    meeting_moderation.remove_participant(db, host_of(db, alpha, room), seat.key)
    db.commit()
    home = customer_home.get_customer_home(db, alpha.customer_ctx)
    assert [m.can_join for m in home.open_meetings] == [False]
    with pytest.raises(AccessDenied):
        customer_home.take_seat(db, alpha.customer_ctx, room)


def test_a_customer_invited_twice_and_removed_once_stays_out(
    db: Session, alpha: TenantWorld
) -> None:
    room = meeting_with(db, alpha, "Beratung", alpha.customer.email)
    meetings.invite(db, host_of(db, alpha, room), name="", email=alpha.customer.email, locale="de")
    db.commit()  # the first mail was lost: a second seat at the same address
    customer_home.take_seat(db, alpha.customer_ctx, room)
    db.commit()
    linked = db.exec(
        select(MeetingParticipant).where(MeetingParticipant.user_id == alpha.customer.id)
    ).one()
    meeting_moderation.remove_participant(db, host_of(db, alpha, room), linked.key)
    db.commit()

    assert [
        m.can_join for m in customer_home.get_customer_home(db, alpha.customer_ctx).open_meetings
    ] == [False]
    with pytest.raises(AccessDenied):
        customer_home.take_seat(db, alpha.customer_ctx, room)
    # Even with the other seat linked too, the session finds the removal.
    for seat in db.exec(
        select(MeetingParticipant).where(MeetingParticipant.email == alpha.customer.email)
    ).all():
        seat.user_id = alpha.customer.id
        db.add(seat)
    db.commit()
    token = sessions.open_session(db, alpha.customer, second_factor_passed=True)
    assert alpha.tenant.id is not None
    with pytest.raises(AccessDenied):
        meetings.authorize_attendee(db, alpha.tenant.id, room, session_token=token)


def test_the_account_holder_consents_anew_on_a_seat_someone_used_by_link(
    db: Session, alpha: TenantWorld
) -> None:
    room = meeting_with(db, alpha, "Beratung", alpha.customer.email)
    seat = db.exec(
        select(MeetingParticipant).where(MeetingParticipant.email == alpha.customer.email)
    ).one()
    seat.consent_at = seat.created_at  # the (forwarded) link was used to join
    seat.consent_notice = "https://old.example/privacy@v1"
    db.add(seat)
    db.commit()
    customer_home.take_seat(db, alpha.customer_ctx, room)
    db.commit()
    db.refresh(seat)
    assert (seat.user_id, seat.consent_at, seat.consent_notice) == (alpha.customer.id, None, None)


@pytest.mark.parametrize("who", ["advisor", "admin"])
def test_only_customers_have_a_customer_home(db: Session, alpha: TenantWorld, who: str) -> None:
    ctx = alpha.advisor_ctx if who == "advisor" else alpha.admin_ctx
    with pytest.raises(AccessDenied):
        customer_home.get_customer_home(db, ctx)
