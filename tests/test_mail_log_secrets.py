"""A tenant admin cannot take over an account through the mail log (issue 9, item 1).

The attack: the admin asks "forgot password" for an advisor (anyone may, on the login page),
opens the tenant's mail log and follows the reset link. Invitations and meeting invitations
carried their links the same way. Now the log and the database hold no usable link; only
the mail delivered to the recipient (a real SMTP server here) does.
"""

from __future__ import annotations

import email.message
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from app.models import OutboundMail
from app.services import mail_outbox, meetings, sessions, users
from app.services.context import TenantContext
from app.services.errors import DomainError
from app.settings import get_settings
from tests.factories import TenantWorld
from tests.smtp_servers import Inbox, smtp_server

TOKEN = re.compile(r"(?:token|k)=([A-Za-z0-9_\-]{16,})")
NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """The platform's SMTP server (a local relay without TLS; TLS: tests/test_smtp_tls.py)."""
    received = Inbox()
    with smtp_server(received) as port:
        monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CONSILIO_SMTP_PORT", str(port))
        monkeypatch.setenv("CONSILIO_SMTP_TLS", "none")
        get_settings.cache_clear()
        yield received
    monkeypatch.delenv("CONSILIO_SMTP_HOST")
    get_settings.cache_clear()


def _mail_log(db: Session, admin: TenantContext) -> str:
    """Everything the admin's mail page can show: the list and every opened mail."""
    seen = []
    for listed in mail_outbox.list_mails(db, admin):
        opened = mail_outbox.get_mail(db, admin, listed.id)
        seen += [listed.subject, listed.last_error, opened.subject, opened.body_html]
        seen.append(opened.body_text)
    return "\n".join(seen)


def _database_contains(db: Session, needle: str) -> list[str]:
    """Tables with a value containing ``needle`` (every column of every row)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for row in db.execute(sa.select(table)).all():
            if any(needle in str(value) for value in row):
                found.append(table.name)
    return found


def _deliver_everything(db: Session) -> None:
    db.commit()
    for mail_id in db.exec(select(OutboundMail.id)).all():
        assert mail_id is not None
        mail_outbox.deliver(mail_id)


def _delivered_secret(inbox: Inbox, to: str) -> str:
    messages = [m for m in inbox.messages if m["To"] == to]
    assert len(messages) == 1
    message: email.message.Message = messages[0]
    parts = [p.get_payload(decode=True) for p in message.walk() if not p.is_multipart()]
    text = "\n".join(part.decode() for part in parts if isinstance(part, bytes))
    match = TOKEN.search(text)
    assert match, text
    return match.group(1)


def _assert_no_usable_reset_token(db: Session, world: TenantWorld, log: str) -> None:
    for candidate in TOKEN.findall(log):
        with pytest.raises(DomainError):
            users.reset_password(db, world.tenant, candidate, NEW_PASSWORD)
        db.rollback()


def test_reset_link_is_not_readable_in_mail_log(
    db: Session, alpha: TenantWorld, inbox: Inbox
) -> None:
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example")  # by the admin
    db.commit()
    before_delivery = _mail_log(db, alpha.admin_ctx)
    assert "password" in before_delivery.lower()  # the admin does see the mail...
    _assert_no_usable_reset_token(db, alpha, before_delivery)  # ...but no usable link

    _deliver_everything(db)
    token = _delivered_secret(inbox, "advisor@alpha.example")
    after_delivery = _mail_log(db, alpha.admin_ctx)
    assert token not in before_delivery and token not in after_delivery
    assert "[personal link]" in after_delivery
    assert _database_contains(db, token) == []
    # The recipient's mail still works.
    assert users.reset_password(db, alpha.tenant, token, NEW_PASSWORD).email == (
        "advisor@alpha.example"
    )


def test_secret_stays_out_of_the_database_before_delivery(
    db: Session, alpha: TenantWorld, inbox: Inbox
) -> None:
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example")
    db.commit()
    queued = db.exec(select(OutboundMail)).one()
    secret = _delivered_secret_of_queued(queued)
    assert _database_contains(db, secret) == []
    _deliver_everything(db)
    assert _delivered_secret(inbox, "advisor@alpha.example") == secret
    db.expire_all()
    assert db.exec(select(OutboundMail)).one().sealed_copy is None  # wiped once sent


def _delivered_secret_of_queued(row: OutboundMail) -> str:
    match = TOKEN.search(mail_outbox.recipient_copy(row).text)
    assert match
    return match.group(1)


def test_invitation_link_is_not_readable_in_mail_log(
    db: Session, alpha: TenantWorld, inbox: Inbox
) -> None:
    users.invite_user(
        db, alpha.admin_ctx, email="new@alpha.example", display_name="New", role="advisor"
    )
    _deliver_everything(db)
    token = _delivered_secret(inbox, "new@alpha.example")
    log = _mail_log(db, alpha.admin_ctx)
    assert token not in log and _database_contains(db, token) == []
    for candidate in TOKEN.findall(log):
        with pytest.raises(DomainError):
            users.activate_account(db, alpha.tenant, candidate, NEW_PASSWORD)
        db.rollback()
    assert users.activate_account(db, alpha.tenant, token, NEW_PASSWORD).email == (
        "new@alpha.example"
    )


def test_meeting_invitation_link_is_not_readable_in_mail_log(
    db: Session, alpha: TenantWorld, inbox: Inbox
) -> None:
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung").room
    db.commit()
    assert alpha.tenant.id is not None
    session_token = sessions.open_session(db, alpha.advisor, second_factor_passed=True)
    host = meetings.authorize_attendee(db, alpha.tenant.id, room, session_token=session_token)
    meetings.invite(db, host, name="Eva", email="eva@example.org", locale="en")
    _deliver_everything(db)
    secret = _delivered_secret(inbox, "eva@example.org")
    log = _mail_log(db, alpha.admin_ctx)
    assert secret not in log and _database_contains(db, secret) == []
    for candidate in TOKEN.findall(log):
        with pytest.raises(DomainError):
            meetings.authorize_attendee(db, alpha.tenant.id, host.room, link_secret=candidate)
    guest = meetings.authorize_attendee(db, alpha.tenant.id, host.room, link_secret=secret)
    assert not guest.is_moderator
