"""Meetings: an advisor opens a room and lets people in with personal links.

Who may act in a room is decided here, once: :func:`authorize_attendee` turns a personal
link secret (guests) or a session (the hosting advisor) into an :class:`Attendee`, and every
room action takes one. Room events are published on the room bus after commit.
"""

from __future__ import annotations

import dataclasses
import secrets

from sqlmodel import Session, col, select

from app import routes
from app.models import Meeting, MeetingParticipant, MeetingRole, Tenant, User
from app.models.base import utcnow
from app.services import audit, guard, mail_outbox, privacy_notice, rate_limits, room_bus
from app.services.context import TenantContext, get_scoped, scoped
from app.services.db import after_commit
from app.services.domains import routable_domains
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.services.guard import HOSTS
from app.services.secrets import token_hash
from app.services.users import clean_email

MAX_PARTICIPANTS = 12
NAME_LIMIT = 80


@dataclasses.dataclass(frozen=True)
class Attendee:
    """Someone acting in a room: which meeting, which participant, which rights."""

    tenant_id: int
    meeting_id: int
    room: str
    participant_id: int
    key: str
    name: str
    role: str
    joined: bool
    user_id: int | None = None
    admitted: bool = False

    @property
    def is_moderator(self) -> bool:
        """The host moderates: mute, remove, lock, presenter rights, invitations."""
        return self.role == MeetingRole.MODERATOR

    @property
    def ctx(self) -> TenantContext:
        """The service context of this participant (guests have no user account: their key
        names them in the audit trail); room queries are scoped with it like any other."""
        return TenantContext(
            tenant_id=self.tenant_id,
            tenant_slug="",
            user_id=self.user_id,
            actor_label=f"{self.name or 'guest'} [{self.key}]",
        )


@dataclasses.dataclass(frozen=True)
class ParticipantView:
    """A line of the participants list."""

    key: str
    name: str
    role: str
    online: bool
    hand_raised: bool
    presenter: bool


def _clean_guest_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > NAME_LIMIT or any(ord(c) < 32 for c in name):
        raise InvalidInput("error.name_required")
    return name


def audit_event(session: Session, attendee: Attendee, action: str, **details: object) -> None:
    """An audit event by a participant (guests have no user account; their key names them)."""
    audit.record(
        session, attendee.ctx, action, target_type="meeting", target_id=attendee.meeting_id,
        details=details,
    )  # fmt: skip


def publish_after_commit(session: Session, room: str, event: dict[str, object]) -> None:
    """Publish ``event`` on the room bus once the change has committed."""
    after_commit(session, lambda: room_bus.publish(room, event))


def _new_participant(
    meeting: Meeting, *, name: str, role: MeetingRole, user_id: int | None = None
) -> tuple[MeetingParticipant, str]:
    secret = secrets.token_urlsafe(24)
    assert meeting.id is not None
    participant = MeetingParticipant(
        tenant_id=meeting.tenant_id,
        meeting_id=meeting.id,
        key=secrets.token_urlsafe(9),
        link_hash=token_hash(secret),
        name=name,
        role=role,
        user_id=user_id,
    )
    return participant, secret


def personal_link(session: Session, tenant: Tenant, room: str, secret: str) -> str:
    """The absolute address of a personal meeting link (for mails and QR codes)."""
    hosts = routable_domains(session, tenant.id)
    return routes.absolute_url(tenant.slug, hosts, routes.meeting(room), k=secret)


# --- advisors -------------------------------------------------------------------------------
def start_meeting(session: Session, ctx: TenantContext, title: str) -> Meeting:
    """Open an ad hoc room hosted by the calling advisor (who moderates and presents)."""
    if ctx.role not in HOSTS or ctx.user_id is None:
        raise AccessDenied()
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise InvalidInput("meeting.title_required")
    host = session.get(User, ctx.user_id)
    assert host is not None
    meeting = Meeting(
        tenant_id=ctx.tenant_id, room=secrets.token_urlsafe(12), title=title, host_id=ctx.user_id
    )
    session.add(meeting)
    session.flush()
    participant, _secret = _new_participant(
        meeting, name=host.display_name, role=MeetingRole.MODERATOR, user_id=ctx.user_id
    )
    participant.consent_at = participant.admitted_at = utcnow()
    session.add(participant)
    meeting.presenter_key = participant.key
    audit.record(
        session, ctx, "meeting.started", target_type="meeting", target_id=meeting.id,
        details={"title": title},
    )  # fmt: skip
    return meeting


def list_open_meetings(session: Session, ctx: TenantContext) -> list[Meeting]:
    """The caller's rooms that have not ended, newest first."""
    if ctx.user_id is None:
        return []
    query = (
        scoped(ctx, Meeting)
        .where(Meeting.host_id == ctx.user_id, Meeting.ended_at.is_(None))  # type: ignore[union-attr]
        .order_by(Meeting.created_at.desc())  # type: ignore[attr-defined]
    )
    return list(session.exec(query).all())


# --- who is in the room -----------------------------------------------------------------------
def _meeting(session: Session, tenant_id: int, room: str) -> Meeting:
    tenant = session.get(Tenant, tenant_id) if tenant_id else None
    if tenant is None or not tenant.active:  # a suspended tenant takes no visitors
        raise NotFound("meeting.not_found")
    ctx = TenantContext.system(tenant_id, tenant.slug)
    meeting = session.exec(scoped(ctx, Meeting).where(Meeting.room == room)).first()
    if meeting is None:
        raise NotFound("meeting.not_found")
    if meeting.ended_at is not None:
        raise NotFound("meeting.ended")
    return meeting


def authorize_attendee(
    session: Session, tenant_id: int, room: str, *, link_secret: str = "", session_token: str = ""
) -> Attendee:
    """The guard of every room action: a personal link or the host's session, else refused.

    Raises:
        NotFound: no such (open) meeting in this tenant, or an unknown link.
        AccessDenied: the participant was removed, or the session is not the host's.
    """
    meeting = _meeting(session, tenant_id, room)
    in_meeting = scoped(TenantContext.system(tenant_id, ""), MeetingParticipant).where(
        MeetingParticipant.meeting_id == meeting.id
    )
    participant: MeetingParticipant | None = None
    if link_secret:
        participant = session.exec(
            in_meeting.where(MeetingParticipant.link_hash == token_hash(link_secret))
        ).first()
        if participant is None:
            raise NotFound("meeting.link_unknown")
    elif session_token:
        who = guard.signed_in_here(session, session_token, tenant_id)
        if who is None:
            raise AccessDenied()
        if not who.may_act_in_role:  # an admin who must first set up two-factor auth
            raise AccessDenied("error.admin_2fa_required")
        # An account may hold several seats (invited twice): a removal of any of them counts.
        seats = session.exec(
            in_meeting.where(MeetingParticipant.user_id == who.user_id).order_by(
                col(MeetingParticipant.id)
            )
        ).all()
        participant = next((s for s in seats if s.removed_at is not None), None) or next(
            iter(seats), None
        )
    if participant is None:
        raise AccessDenied()
    if participant.removed_at is not None:
        raise AccessDenied("meeting.removed")
    assert meeting.id is not None and participant.id is not None
    return Attendee(
        tenant_id=tenant_id,
        meeting_id=meeting.id,
        room=meeting.room,
        participant_id=participant.id,
        key=participant.key,
        name=participant.name,
        role=participant.role,
        joined=participant.consent_at is not None,
        user_id=participant.user_id,
        admitted=participant.admitted_at is not None,
    )


def get_meeting(session: Session, attendee: Attendee) -> Meeting:
    """The attendee's meeting."""
    return get_scoped(session, attendee.ctx, Meeting, attendee.meeting_id)


def _own_row(session: Session, attendee: Attendee) -> MeetingParticipant:
    return get_scoped(session, attendee.ctx, MeetingParticipant, attendee.participant_id)


def media_on_by_default(session: Session, attendee: Attendee) -> bool:
    """Whether people enter with camera and microphone on (the tenant decides)."""
    tenant = session.get(Tenant, attendee.tenant_id)
    return tenant.meeting_media_on if tenant else True


def join(
    session: Session, attendee: Attendee, *, name: str, consent: bool, notice: str | None = None
) -> Attendee:
    """Enter the room: a guest gives a name and agrees to the privacy notice (recorded).

    ``notice`` is the label of the privacy notice the guest was shown (recorded with the
    consent and in the audit event; app/services/meeting_entry.py checks it is the tenant's
    current one). When the tenant has a lobby, a guest then waits until the moderator admits
    them (``Attendee.admitted`` tells which).

    Raises:
        InvalidInput: no consent, no name, or the room is locked for newcomers.
    """
    participant = _own_row(session, attendee)
    meeting = get_meeting(session, attendee)
    if participant.consent_at is None:
        if not consent:
            raise InvalidInput("meeting.consent_required")
        if meeting.locked and not attendee.is_moderator:
            raise InvalidInput("meeting.locked")
        participant.name = _clean_guest_name(name or participant.name)
        participant.consent_at = utcnow()
        participant.consent_notice = notice
        session.add(participant)
        shown = {"notice": notice} if notice else {}
        audit_event(
            session, attendee, "meeting.joined", participant=participant.key, consent=True, **shown
        )
        tenant = session.get(Tenant, attendee.tenant_id)
        if attendee.is_moderator or not (tenant and tenant.meeting_lobby):
            participant.admitted_at = participant.consent_at
        publish_after_commit(session, attendee.room, {"type": "participants"})
    return dataclasses.replace(
        attendee, name=participant.name, joined=True, admitted=participant.admitted_at is not None
    )


def list_participants(session: Session, attendee: Attendee) -> list[ParticipantView]:
    """Everyone let into the room (not removed), moderators first."""
    require_in_room(attendee)
    meeting = get_meeting(session, attendee)
    rows = session.exec(
        scoped(attendee.ctx, MeetingParticipant).where(
            MeetingParticipant.meeting_id == attendee.meeting_id,
            MeetingParticipant.removed_at.is_(None),  # type: ignore[union-attr]
            MeetingParticipant.admitted_at.is_not(None),  # type: ignore[union-attr]
        )
    ).all()
    views = [
        ParticipantView(
            key=p.key,
            name=p.name,
            role=p.role,
            online=p.online,
            hand_raised=p.hand_raised,
            presenter=p.key == meeting.presenter_key,
        )
        for p in rows
    ]
    return sorted(views, key=lambda v: (v.role != MeetingRole.MODERATOR, v.name.lower()))


def list_expected(session: Session, attendee: Attendee) -> list[ParticipantView]:
    """Who the room still waits for, so someone alone in it sees who is coming.

    That is everyone invited who has not entered yet (an invitation may have no name: ``""``)
    and everyone let in whose connection is down (the host, for a guest who is early); guests
    in the lobby are not listed (the moderator sees them apart), nor the caller. Moderators
    first.
    """
    require_in_room(attendee)
    rows = session.exec(
        scoped(attendee.ctx, MeetingParticipant).where(
            MeetingParticipant.meeting_id == attendee.meeting_id,
            MeetingParticipant.removed_at.is_(None),  # type: ignore[union-attr]
            MeetingParticipant.key != attendee.key,
        )
    ).all()
    views = [
        ParticipantView(p.key, p.name, p.role, False, False, False)
        for p in rows
        if not p.online and (p.consent_at is None or p.admitted_at is not None)
    ]
    return sorted(views, key=lambda v: (v.role != MeetingRole.MODERATOR, v.name.lower()))


def participant_by_key(session: Session, attendee: Attendee, key: str) -> MeetingParticipant:
    """A participant of the attendee's meeting (NotFound when removed or unknown)."""
    row = session.exec(
        scoped(attendee.ctx, MeetingParticipant).where(
            MeetingParticipant.meeting_id == attendee.meeting_id, MeetingParticipant.key == key
        )
    ).first()
    if row is None or row.removed_at is not None:
        raise NotFound("meeting.participant_unknown")
    return row


def require_in_room(attendee: Attendee) -> None:
    """Room actions (chat, files, the participants list, hands) are for people let in."""
    if not attendee.admitted:
        raise AccessDenied("meeting.waiting")


def require_moderator(attendee: Attendee) -> None:
    """Refuse anyone but the room's moderator."""
    if not attendee.is_moderator:
        raise AccessDenied()


def invite(
    session: Session, attendee: Attendee, *, name: str, email: str = "", locale: str = "de"
) -> str:
    """A new personal link for one more participant, mailed when an address is given.

    Returns:
        The link (shown to the moderator to copy or show as a QR code).

    Raises:
        InvalidInput: the room is full, a bad address, or the tenant has no privacy notice
            for guests (app/services/privacy_notice.py).
    """
    require_moderator(attendee)
    privacy_notice.require_notice(session, attendee.tenant_id, "meeting.no_privacy_notice_invite")
    meeting = get_meeting(session, attendee)
    count = len(
        session.exec(
            scoped(attendee.ctx, MeetingParticipant).where(
                MeetingParticipant.meeting_id == meeting.id,
                MeetingParticipant.removed_at.is_(None),  # type: ignore[union-attr]
            )
        ).all()
    )
    if count >= MAX_PARTICIPANTS:
        raise InvalidInput("meeting.full", limit=MAX_PARTICIPANTS)
    address = clean_email(email) if email.strip() else None
    participant, secret = _new_participant(
        meeting, name=_clean_guest_name(name) if name.strip() else "", role=MeetingRole.PARTICIPANT
    )
    participant.email = address
    session.add(participant)
    tenant = session.get(Tenant, attendee.tenant_id)
    assert tenant is not None
    link = personal_link(session, tenant, meeting.room, secret)
    if address:
        # Mails count against the host's budget (links to copy do not), once all is valid.
        host = str(attendee.user_id or attendee.key)
        rate_limits.MEETING_INVITATION_MAILS.take(str(attendee.tenant_id), host)
        mail_outbox.queue_mail(
            session,
            tenant,
            "meeting_invitation",
            to=address,
            locale=locale,
            params={"name": participant.name, "host": attendee.name, "title": meeting.title},
            personal_link=link,
        )
    audit_event(
        session,
        attendee,
        "meeting.participant_invited",
        participant=participant.key,
        mailed=bool(address),
    )
    publish_after_commit(session, meeting.room, {"type": "participants"})  # who is expected
    return link


def handover_link(session: Session, attendee: Attendee, current_secret: str = "") -> str:
    """A personal link to the caller's own seat, to continue on another device.

    A guest gets their own link again (``current_secret``); the host, who came in with their
    session, gets a fresh link (an older one stops working). When the new device joins, the
    media node sends the old one away: a participant is in the room once.
    """
    tenant = session.get(Tenant, attendee.tenant_id)
    assert tenant is not None
    if current_secret:
        return personal_link(session, tenant, attendee.room, current_secret)
    participant = _own_row(session, attendee)
    secret = secrets.token_urlsafe(24)
    participant.link_hash = token_hash(secret)
    session.add(participant)
    return personal_link(session, tenant, attendee.room, secret)


def raise_hand(session: Session, attendee: Attendee, raised: bool) -> None:
    """Raise or lower the caller's hand."""
    require_in_room(attendee)
    participant = _own_row(session, attendee)
    participant.hand_raised = raised
    session.add(participant)
    publish_after_commit(session, attendee.room, {"type": "participants"})


# --- what the media node reports ----------------------------------------------------------------
def record_presence(session: Session, room: str, key: str, online: bool) -> None:
    """A participant's media connection came up or went away (reported by the node)."""
    participant = session.exec(
        select(MeetingParticipant)
        .join(Meeting, Meeting.id == MeetingParticipant.meeting_id)  # type: ignore[arg-type]
        .where(Meeting.room == room, MeetingParticipant.key == key)
    ).first()
    if participant is None or participant.online == online:
        return
    participant.online = online
    if not online:
        participant.hand_raised = False
    session.add(participant)
    publish_after_commit(session, room, {"type": "presence", "key": key, "online": online})
