"""What a signed-in customer finds on their start page: their advisors, their meetings.

Customers are not assigned to an advisor (no such link exists yet): "their advisors" are the
advisors who invited them to meetings. A customer's seats in meetings are the personal
invitations sent to their account's address (or already linked to their account). To enter
an open one they use their session, never a link: :func:`take_seat` links the seat to the
account, and the room's guard (``meetings.authorize_attendee``) lets the session in. No
link secret is ever shown, so nobody sees another person's link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col

from app.models import Meeting, MeetingParticipant, Role, User, UserStatus
from app.services import audit, meetings
from app.services.context import TenantContext, get_scoped, scoped
from app.services.errors import AccessDenied, NotFound

PAST_LIMIT = 20


@dataclasses.dataclass(frozen=True)
class AdvisorContact:
    """How a customer reaches an advisor who met them (no phone numbers are kept yet)."""

    name: str
    email: str


@dataclasses.dataclass(frozen=True)
class CustomerMeeting:
    """A meeting the customer was invited to."""

    room: str
    title: str
    advisor: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    can_join: bool  # open, and the customer was not removed from it


@dataclasses.dataclass(frozen=True)
class CustomerHome:
    """The customer's start page: advisors (most recent first), open and past meetings."""

    advisors: list[AdvisorContact]
    open_meetings: list[CustomerMeeting]
    past_meetings: list[CustomerMeeting]


def _customer(session: Session, ctx: TenantContext) -> User:
    if ctx.role != Role.CUSTOMER or ctx.user_id is None:
        raise AccessDenied()
    return get_scoped(session, ctx, User, ctx.user_id)


def _seats(session: Session, ctx: TenantContext, customer: User) -> list[MeetingParticipant]:
    """The customer's seats: linked to the account, or invited at its address."""
    mine = sa.or_(
        col(MeetingParticipant.user_id) == customer.id,
        sa.and_(
            col(MeetingParticipant.user_id).is_(None),
            sa.func.lower(col(MeetingParticipant.email)) == customer.email.lower(),
        ),
    )
    return list(session.exec(scoped(ctx, MeetingParticipant).where(mine)).all())


def get_customer_home(session: Session, ctx: TenantContext) -> CustomerHome:
    """The calling customer's advisors and meetings (customers only)."""
    customer = _customer(session, ctx)
    seats = _seats(session, ctx, customer)
    meeting_ids = {seat.meeting_id for seat in seats}
    meetings = list(
        session.exec(scoped(ctx, Meeting).where(col(Meeting.id).in_(meeting_ids))).all()
        if meeting_ids
        else []
    )
    host_ids = {m.host_id for m in meetings}
    hosts = {
        u.id: u
        for u in (
            session.exec(scoped(ctx, User).where(col(User.id).in_(host_ids))).all()
            if host_ids
            else []
        )
    }
    # Removed from a meeting through any seat (someone invited twice): out of that meeting.
    removed = {s.meeting_id for s in seats if s.removed_at is not None}
    views = [
        CustomerMeeting(
            room=m.room,
            title=m.title,
            advisor=hosts[m.host_id].display_name if m.host_id in hosts else "",
            started_at=m.created_at,
            ended_at=m.ended_at,
            can_join=m.ended_at is None and m.id not in removed,
        )
        for m in meetings
    ]
    recent_first = sorted(meetings, key=lambda m: m.ended_at or m.created_at, reverse=True)
    advisors: dict[int, AdvisorContact] = {}
    for m in recent_first:
        host = hosts.get(m.host_id)
        if host is not None and host.status == UserStatus.ACTIVE and host.id not in advisors:
            assert host.id is not None
            advisors[host.id] = AdvisorContact(host.display_name, host.email)
    return CustomerHome(
        advisors=list(advisors.values()),
        open_meetings=sorted(
            (v for v in views if v.ended_at is None), key=lambda v: v.started_at, reverse=True
        ),
        past_meetings=sorted(
            (v for v in views if v.ended_at is not None),
            key=lambda v: v.ended_at or v.started_at,
            reverse=True,
        )[:PAST_LIMIT],
    )


def take_seat(session: Session, ctx: TenantContext, room: str) -> str:
    """Link the customer's seat in the open meeting ``room`` to their account, so their
    session lets them in (the room still asks for their consent before they enter).

    Returns:
        The room, to go to.

    Raises:
        NotFound: no open meeting ``room`` in the tenant has a seat for this customer.
    """
    customer = _customer(session, ctx)
    meeting = session.exec(scoped(ctx, Meeting).where(Meeting.room == room)).first()
    if meeting is None or meeting.ended_at is not None:
        raise NotFound("meeting.not_found")
    seats = [s for s in _seats(session, ctx, customer) if s.meeting_id == meeting.id]
    if not seats:
        raise NotFound("meeting.not_found")
    if any(s.removed_at is not None for s in seats):
        raise AccessDenied("meeting.removed")
    if not any(s.user_id == customer.id for s in seats):
        seat = min(seats, key=lambda s: s.id or 0)
        seat.user_id = customer.id
        seat.name = seat.name or customer.display_name[: meetings.NAME_LIMIT]  # join screen
        # Whoever used the link before (it may have been forwarded) consented for themselves:
        # the account holder consents anew, to the notice shown now.
        seat.consent_at = None
        seat.consent_notice = None
        session.add(seat)
        audit.record(
            session, ctx, "meeting.seat_linked", target_type="meeting", target_id=meeting.id,
            details={"participant": seat.key},
        )  # fmt: skip
    return meeting.room
