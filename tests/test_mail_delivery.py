"""Mail goes through the real pipeline: Redis broker, Dramatiq worker, SMTP server (aiosmtpd)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import dramatiq
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlmodel import Session, select

from app.models import JobFailure, MailStatus, OutboundMail
from app.services import users
from app.settings import get_settings
from tests.factories import TenantWorld
from tests.servers import free_port, redis_server


class Inbox(Message):
    """Keeps every received message."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def handle_message(self, message: object) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def redis_worker(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    """The Redis broker with a real worker consuming it, as in production."""
    from workers import broker

    monkeypatch.undo()  # deliver jobs for real
    with redis_server() as url:
        monkeypatch.setenv("CONSILIO_REDIS_URL", url)
        monkeypatch.setattr(broker, "_broker", None)
        get_settings.cache_clear()
        import workers.actors as actors

        redis_broker = broker.get_broker()
        redis_broker.declare_actor(actors.deliver_mail)
        worker = dramatiq.Worker(redis_broker, worker_threads=1, worker_timeout=100)
        worker.start()
        try:
            yield
        finally:
            worker.stop()
            broker.reset_broker()
            get_settings.cache_clear()


def _wait_for(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_invitation_is_delivered_by_smtp_through_the_redis_worker(
    db: Session,
    alpha: TenantWorld,
    smtp_inbox: tuple[Inbox, int],
    redis_worker: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port = smtp_inbox
    monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CONSILIO_SMTP_PORT", str(port))
    monkeypatch.setenv("CONSILIO_SMTP_TLS", "none")  # a local relay; TLS: tests/test_smtp_tls.py
    get_settings.cache_clear()
    users.invite_user(
        db,
        alpha.admin_ctx,
        email="new@alpha.example",
        display_name="New Person",
        role="advisor",
        locale="fr",
    )
    db.commit()
    _wait_for(lambda: len(inbox.messages) == 1)
    message = inbox.messages[0]
    assert message["To"] == "new@alpha.example"  # type: ignore[index]
    assert "Alpha" in message["Subject"]  # type: ignore[index]
    assert "Bonjour New Person" in message.as_string()  # type: ignore[attr-defined]
    db.expire_all()
    _wait_for(lambda: db.exec(select(OutboundMail)).one().status == MailStatus.SENT)


def test_undeliverable_mail_is_retried_then_shown_to_admins_as_failed(
    db: Session,
    alpha: TenantWorld,
    redis_worker: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CONSILIO_SMTP_PORT", str(free_port()))  # nobody listens there
    get_settings.cache_clear()
    import workers.actors as actors

    monkeypatch.setattr(
        actors.deliver_mail,
        "options",
        {**actors.deliver_mail.options, "max_retries": 1, "min_backoff": 10, "max_backoff": 20},
    )
    users.invite_user(
        db, alpha.admin_ctx, email="lost@alpha.example", display_name="Lost", role="advisor"
    )
    db.commit()

    def failed() -> bool:
        db.expire_all()
        return db.exec(select(OutboundMail)).one().status == MailStatus.FAILED

    _wait_for(failed, timeout=30)
    mail = db.exec(select(OutboundMail)).one()
    assert mail.attempts == 2 and mail.last_error == "mail.error.connection"
    assert mail.sealed_copy is None  # the invitation link is never sent now: wiped
    failure = db.exec(select(JobFailure)).one()
    assert failure.actor == "deliver_mail" and failure.tenant_id == alpha.tenant.id
