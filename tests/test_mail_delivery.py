"""Mail goes through the real pipeline: Redis broker, Dramatiq worker, SMTP server (aiosmtpd).

And it goes out once: delivery claims the mail, so racing workers (or a start-up recovery
re-enqueueing it) cannot send it twice (issue 9, item 13).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import dramatiq
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from app.i18n import translate
from app.models import JobFailure, MailStatus, OutboundMail
from app.models.base import utcnow
from app.services import mail_outbox, sessions, users
from app.services.db import get_engine
from app.settings import get_settings
from state.admin_audit import AdminJobsState
from state.locale import LocaleState
from state.tenant import TenantState
from tests.factories import TenantWorld
from tests.polling import wait_until
from tests.servers import free_port, redis_server
from tests.smtp_servers import Inbox, smtp_server


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with smtp_server(handler) as port:
        yield handler, port


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
    wait_until(lambda: len(inbox.messages) == 1, timeout=20)
    message = inbox.messages[0]
    assert message["To"] == "new@alpha.example"  # type: ignore[index]
    assert "Alpha" in message["Subject"]  # type: ignore[index]
    assert "Bonjour New Person" in message.as_string()  # type: ignore[attr-defined]
    db.expire_all()
    wait_until(lambda: db.exec(select(OutboundMail)).one().status == MailStatus.SENT, timeout=20)


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

    def failed() -> bool:  # the mail is marked failed, then the job failure is filed
        db.expire_all()
        filed = db.exec(select(JobFailure)).first() is not None
        return filed and db.exec(select(OutboundMail)).one().status == MailStatus.FAILED

    wait_until(failed, timeout=30)
    mail = db.exec(select(OutboundMail)).one()
    assert mail.attempts == 2 and mail.last_error == "mail.error.connection"
    assert mail.sealed_copy is None  # the invitation link is never sent now: wiped
    failure = db.exec(select(JobFailure)).one()
    assert failure.actor == "deliver_mail" and failure.tenant_id == alpha.tenant.id
    # The failed-jobs page says what went wrong in the admin's language, not the exception.
    assert failure.error == "mail.error.connection"
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    page = JobsPage(token, alpha.tenant.id or 0)
    asyncio.run(AdminJobsState.event_handlers["load"].fn(page))
    assert page.error == ""
    assert [row["error"] for row in page.failures] == [translate("en", "mail.error.connection")]


class JobsPage:
    """Just enough of a Reflex state for the guard and AdminJobsState's load handler."""

    base_vars = {"error": None, "notice": None}

    def __init__(self, token: str, tenant_id: int) -> None:
        self.error = self.notice = ""
        self.failures: list[dict[str, str]] = []
        self.router = SimpleNamespace(
            headers=SimpleNamespace(cookie=f"{sessions.COOKIE_NAME}={token}"),
            session=SimpleNamespace(client_ip="127.0.0.1"),
        )
        self._parts: dict[type, Any] = {
            TenantState: SimpleNamespace(_tenant_id_in=lambda _db: tenant_id),
            LocaleState: SimpleNamespace(lang="en"),
        }

    async def get_state(self, cls: type) -> Any:
        return self._parts[cls]


def test_failures_filed_before_show_their_message_not_the_exception(
    db: Session, alpha: TenantWorld
) -> None:
    db.add(JobFailure(tenant_id=alpha.tenant.id, actor="deliver_mail", message_id="m1",
                      args=[1], error="DeliveryFailed: mail.error.tls"))  # fmt: skip
    db.add(JobFailure(tenant_id=alpha.tenant.id, actor="build_archive", message_id="m2",
                      args=[2], error="OperationalError: connection to 10.0.0.5 refused"))  # fmt: skip
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    page = JobsPage(token, alpha.tenant.id or 0)
    asyncio.run(AdminJobsState.event_handlers["load"].fn(page))
    assert [row["error"] for row in page.failures] == [
        translate("en", "jobs.error.unexpected"),
        translate("en", "mail.error.tls"),
    ]


def _platform_relay(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CONSILIO_SMTP_PORT", str(port))
    monkeypatch.setenv("CONSILIO_SMTP_TLS", "none")
    get_settings.cache_clear()


def _queued_reset(db: Session, world: TenantWorld) -> int:
    users.request_password_reset(db, world.tenant, "advisor@alpha.example")
    db.commit()
    mail_id = db.exec(select(OutboundMail.id)).one()
    assert mail_id is not None
    return mail_id


def test_two_workers_racing_for_one_mail_send_it_once(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox(delay=0.5)  # a slow server: the second worker arrives while the first sends
    with smtp_server(inbox) as port:
        _platform_relay(monkeypatch, port)
        mail_id = _queued_reset(db, alpha)
        start = threading.Barrier(4)
        outcomes: list[str] = []

        def worker() -> None:
            start.wait()
            try:
                outcomes.append(mail_outbox.deliver(mail_id))
            except mail_outbox.MailBusy:
                outcomes.append("busy")

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(inbox.messages) == 1
    assert outcomes.count(MailStatus.SENT) == 1 and len(outcomes) == 4
    db.expire_all()
    assert db.exec(select(OutboundMail)).one().attempts == 1


def test_claim_of_a_dead_worker_is_taken_over_after_the_timeout(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        _platform_relay(monkeypatch, port)
        mail_id = _queued_reset(db, alpha)
        row = db.get(OutboundMail, mail_id)
        assert row is not None
        row.status, row.claimed_at = MailStatus.SENDING.value, utcnow()  # a worker is on it
        db.commit()
        with pytest.raises(mail_outbox.MailBusy):
            mail_outbox.deliver(mail_id)
        assert mail_outbox.pending_mail_ids(db) == []
        row.claimed_at = utcnow() - mail_outbox.CLAIM_TIMEOUT - dt.timedelta(seconds=1)
        db.commit()  # ...and died
        assert mail_outbox.pending_mail_ids(db) == [mail_id]  # recovered at the next start
        assert mail_outbox.deliver(mail_id) == MailStatus.SENT
        assert mail_outbox.deliver(mail_id) == MailStatus.SENT  # again: nothing happens
    assert len(inbox.messages) == 1


def _waiting_on_locks(db: Session) -> int:
    db.rollback()
    waiting = db.execute(
        sa.text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
    ).scalar_one()
    return int(waiting)


def test_giving_up_never_overwrites_a_workers_fresh_claim(db: Session, alpha: TenantWorld) -> None:
    """Before: give_up read the row ("queued"), a worker claimed it meanwhile, and give_up
    then wrote "failed" over the claim and wiped the sealed copy the worker was sending."""
    mail_id = _queued_reset(db, alpha)
    outcomes: dict[str, object] = {}
    with get_engine().connect() as holder:  # a slow transaction on the row orders the two
        holder.execute(
            sa.text("SELECT id FROM outbound_mail WHERE id = :id FOR UPDATE"), {"id": mail_id}
        )
        claiming = threading.Thread(
            target=lambda: outcomes.update(claim=mail_outbox._claim(mail_id))
        )
        claiming.start()
        wait_until(lambda: _waiting_on_locks(db) == 1)  # the worker waits to claim...
        giving_up = threading.Thread(
            target=lambda: outcomes.update(tenant=mail_outbox.give_up(mail_id, "retries"))
        )
        giving_up.start()
        wait_until(lambda: _waiting_on_locks(db) == 2)  # ...give_up read "queued" and waits
        holder.rollback()
    claiming.join(timeout=30)
    giving_up.join(timeout=30)
    assert isinstance(outcomes["claim"], tuple)  # the worker got the mail
    assert outcomes["tenant"] == alpha.tenant.id
    db.expire_all()
    mail = db.exec(select(OutboundMail)).one()
    assert mail.status == MailStatus.SENDING  # still the worker's
    assert mail.sealed_copy is not None  # and its copy is intact
