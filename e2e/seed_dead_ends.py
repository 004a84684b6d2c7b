"""Data the "no dead ends" e2e tests need: a customer with meetings, tenants without a
privacy notice, with the platform's default notice, and a suspended one.

Personal link secrets are fixed here (e2e only) so the tests can open a guest's seat.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlmodel import Session, select

from app.models import Meeting, MeetingParticipant, MeetingRole, Role, Tenant, User, UserStatus
from app.models.base import utcnow
from app.services import passwords
from app.services.db import unit_of_work
from app.services.demo import DEMO_PASSWORD
from app.services.secrets import token_hash

CUSTOMER = "clara.kunde@example.com"
OPEN_TITLE = "Hausrat-Check"
PAST_TITLE = "Jahresgespräch Vorsorge"
OTHERS_TITLE = "Beratung Fremdkunde"
# A tenant whose admins have not set a privacy notice yet (a guest is invited to its room).
NO_NOTICE_SLUG, NO_NOTICE_NAME = "ohne", "Ohne Hinweis AG"
NO_NOTICE_ROOM, NO_NOTICE_LINK = "e2e-no-notice-room", "e2e-ohne-seat"
NO_NOTICE_ADMIN = "admin@ohne.example"
SUSPENDED_SLUG = "gesperrt"


def _user(tenant: Tenant, email: str, name: str, role: Role) -> User:
    assert tenant.id is not None
    return User(
        tenant_id=tenant.id,
        email=email,
        display_name=name,
        role=role.value,
        status=UserStatus.ACTIVE.value,
        locale="de",
        password_hash=passwords.hash_password(DEMO_PASSWORD),
    )


def _meeting(tenant: Tenant, host: User, title: str, room: str, *, ended: bool) -> Meeting:
    assert tenant.id is not None and host.id is not None
    started = utcnow() - dt.timedelta(days=30 if ended else 0, minutes=5)
    return Meeting(
        tenant_id=tenant.id,
        room=room or secrets.token_urlsafe(12),
        title=title,
        host_id=host.id,
        created_at=started,
        ended_at=started + dt.timedelta(minutes=45) if ended else None,
    )


def _seat(
    meeting: Meeting,
    *,
    email: str = "",
    link: str = "",
    role: MeetingRole = MeetingRole.PARTICIPANT,
    user_id: int | None = None,
) -> MeetingParticipant:
    assert meeting.id is not None
    return MeetingParticipant(
        tenant_id=meeting.tenant_id,
        meeting_id=meeting.id,
        key=secrets.token_urlsafe(9),
        link_hash=token_hash(link or secrets.token_urlsafe(24)),
        email=email or None,
        role=role,
        user_id=user_id,
        consent_at=utcnow() if role == MeetingRole.MODERATOR else None,
        admitted_at=utcnow() if role == MeetingRole.MODERATOR else None,
    )


def _hosted(
    session: Session, tenant: Tenant, host: User, title: str, room: str = "", *, ended: bool = False
) -> Meeting:
    meeting = _meeting(tenant, host, title, room, ended=ended)
    session.add(meeting)
    session.flush()
    session.add(_seat(meeting, role=MeetingRole.MODERATOR, user_id=host.id))
    return meeting


def main() -> None:
    """Create the customer's meetings and the tenants of the privacy and not-found tests."""
    with unit_of_work() as session:
        demo = session.exec(select(Tenant).where(Tenant.slug == "demo")).one()
        anna = session.exec(
            select(User).where(
                User.tenant_id == demo.id, User.email == "anna.berger@alpina.example"
            )
        ).one()
        clara = _user(demo, CUSTOMER, "Clara Kunde", Role.CUSTOMER)
        session.add(clara)
        open_one = _hosted(session, demo, anna, OPEN_TITLE)
        past_one = _hosted(session, demo, anna, PAST_TITLE, ended=True)
        others = _hosted(session, demo, anna, OTHERS_TITLE)
        session.add(_seat(open_one, email=CUSTOMER))
        session.add(_seat(past_one, email=CUSTOMER.upper()))  # addresses match in any case
        session.add(_seat(others, email="someone.else@example.com"))

        ohne = Tenant(
            slug=NO_NOTICE_SLUG, name=NO_NOTICE_NAME, admins_need_2fa=False,
            meeting_lobby=True,  # a guest who enters waits: no media node needed
        )  # fmt: skip
        session.add(ohne)
        session.flush()
        host = _user(ohne, f"berater@{NO_NOTICE_SLUG}.example", "Bruno Berater", Role.ADVISOR)
        session.add(host)
        session.add(_user(ohne, NO_NOTICE_ADMIN, "Olga Admin", Role.ADMIN))
        session.flush()
        meeting = _hosted(session, ohne, host, "Erstgespräch", NO_NOTICE_ROOM)
        session.add(_seat(meeting, link=NO_NOTICE_LINK))
        session.add(Tenant(slug=SUSPENDED_SLUG, name="Gesperrte Bank", active=False))


if __name__ == "__main__":
    main()
