"""The platform's dev outbox: in dev mode only, super admins read mails kept (not sent)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app.models import MailStatus, OutboundMail, Role
from app.services import mail_outbox, mail_transport
from app.services.errors import AccessDenied, NotFound
from app.settings import get_settings
from tests.factories import TenantWorld, context_of, make_tenant, make_user

PARAMS = {"name": "N", "hours": 72}
LINK = "https://x.example/activate?token=live-secret-token"


@pytest.fixture
def dev_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CONSILIO_ENVIRONMENT", "dev")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CONSILIO_ENVIRONMENT")
    get_settings.cache_clear()


def _queued(db: Session, world: TenantWorld, to: str) -> OutboundMail:
    row = mail_outbox.queue_mail(
        db, world.tenant, "invitation", to=to, locale="de", params=PARAMS, personal_link=LINK
    )
    db.commit()
    return row


def _kept(db: Session, world: TenantWorld, to: str, status: MailStatus) -> OutboundMail:
    row = _queued(db, world, to)
    row.status = status.value
    db.add(row)
    db.commit()
    return row


def _operator(db: Session):  # type: ignore[no-untyped-def]
    platform = make_tenant(db, "platform")
    return context_of(platform, make_user(db, platform, "op@consilio.example", Role.SUPER_ADMIN))


def test_super_admin_sees_kept_mails_of_every_tenant_but_not_sent_ones(
    db: Session, alpha: TenantWorld, beta: TenantWorld, dev_mode: None
) -> None:
    operator = _operator(db)
    kept_alpha = _kept(db, alpha, "new@alpha.example", MailStatus.OUTBOX)
    kept_beta = _kept(db, beta, "new@beta.example", MailStatus.OUTBOX)
    sent = _kept(db, beta, "sent@beta.example", MailStatus.SENT)

    listed = {(m.id, m.tenant_slug) for m in mail_outbox.list_dev_outbox(db, operator)}
    assert listed == {(kept_alpha.id, "alpha"), (kept_beta.id, "beta")}
    assert kept_beta.id is not None and sent.id is not None
    opened = mail_outbox.get_dev_outbox_mail(db, operator, kept_beta.id)
    assert opened.to_address == "new@beta.example"
    with pytest.raises(NotFound):
        mail_outbox.get_dev_outbox_mail(db, operator, sent.id)


def test_dev_outbox_shows_the_live_link_while_the_tenants_log_never_does(
    db: Session, alpha: TenantWorld, dev_mode: None
) -> None:
    row = _queued(db, alpha, "new@alpha.example")
    assert row.id is not None
    assert mail_outbox.deliver(row.id) == MailStatus.OUTBOX  # no SMTP server: kept
    db.expire_all()
    operator = _operator(db)

    opened = mail_outbox.get_dev_outbox_mail(db, operator, row.id)
    assert LINK in opened.body_text and LINK in opened.body_html.replace("&amp;", "&")
    logged = mail_outbox.get_mail(db, alpha.admin_ctx, row.id)
    assert "live-secret-token" not in logged.body_html + logged.body_text + logged.subject
    assert "[persönlicher Link]" in logged.body_text


def test_outside_dev_mode_there_is_no_dev_outbox(db: Session, alpha: TenantWorld) -> None:
    assert not get_settings().dev_mode
    operator = _operator(db)
    kept = _kept(db, alpha, "new@alpha.example", MailStatus.OUTBOX)
    assert kept.id is not None
    with pytest.raises(AccessDenied):
        mail_outbox.list_dev_outbox(db, operator)
    with pytest.raises(AccessDenied):
        mail_outbox.get_dev_outbox_mail(db, operator, kept.id)


def test_outside_dev_mode_a_mail_without_smtp_server_waits_instead_of_being_kept(
    db: Session, alpha: TenantWorld
) -> None:
    row = _queued(db, alpha, "new@alpha.example")
    assert row.id is not None
    with pytest.raises(mail_transport.DeliveryFailed, match=r"mail\.error\.no_server"):
        mail_outbox.deliver(row.id)
    db.refresh(row)
    assert row.status == MailStatus.QUEUED and row.last_error == "mail.error.no_server"
    mail_outbox.give_up(row.id, "exhausted")
    db.refresh(row)
    assert row.status == MailStatus.FAILED and row.sealed_copy is None


@pytest.mark.parametrize("who", ["admin", "advisor", "customer"])
def test_nobody_else_reads_the_dev_outbox(
    db: Session, alpha: TenantWorld, who: str, dev_mode: None
) -> None:
    kept = _kept(db, alpha, "new@alpha.example", MailStatus.OUTBOX)
    assert kept.id is not None
    ctx = {"admin": alpha.admin_ctx, "advisor": alpha.advisor_ctx, "customer": alpha.customer_ctx}[
        who
    ]
    with pytest.raises(AccessDenied):
        mail_outbox.list_dev_outbox(db, ctx)
    with pytest.raises(AccessDenied):
        mail_outbox.get_dev_outbox_mail(db, ctx, kept.id)
