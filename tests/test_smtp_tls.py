"""SMTP goes over TLS or not at all (issue 9, item 12), against aiosmtpd.

Before: STARTTLS was looked up before EHLO, so it was never used and the SMTP password went
out in clear. A recording proxy between client and server keeps what the client sent.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.i18n import translate
from app.models import MailStatus, OutboundMail
from app.services import mail_outbox, mail_transport, tenants, users
from app.services.errors import InvalidInput
from app.settings import get_settings
from tests.factories import TenantWorld
from tests.smtp_servers import (
    Certificate,
    Inbox,
    RecordingProxy,
    self_signed_certificate,
    smtp_server,
)

USER, PASSWORD = "mailer", "smtp-secret-Pa55word"
CLEAR_FORMS = (
    PASSWORD.encode(),
    base64.b64encode(PASSWORD.encode()),
    base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()),
)


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed_certificate(tmp_path)


@pytest.fixture
def platform_smtp(monkeypatch: pytest.MonkeyPatch, certificate: Certificate) -> Iterator[None]:
    """Platform SMTP settings with a login; the test sets host, port and TLS mode."""
    monkeypatch.setenv("CONSILIO_SMTP_USERNAME", USER)
    monkeypatch.setenv("CONSILIO_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("CONSILIO_SMTP_CA_FILE", str(certificate.cert_file))
    yield
    for name in ("HOST", "PORT", "TLS", "USERNAME", "PASSWORD", "CA_FILE"):
        monkeypatch.delenv(f"CONSILIO_SMTP_{name}", raising=False)
    get_settings.cache_clear()


def _use_server(monkeypatch: pytest.MonkeyPatch, port: int, tls: str) -> None:
    monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CONSILIO_SMTP_PORT", str(port))
    monkeypatch.setenv("CONSILIO_SMTP_TLS", tls)
    get_settings.cache_clear()


def _queue_reset(db: Session, world: TenantWorld) -> int:
    users.request_password_reset(db, world.tenant, "advisor@alpha.example")
    db.commit()
    mail_id = db.exec(select(OutboundMail.id)).one()
    assert mail_id is not None
    return mail_id


def _queue_meeting_invitation(db: Session, world: TenantWorld) -> int:
    """A mail that may go through the tenant's own server (resets and invitations never do:
    tests/test_mail_personal_links.py)."""
    row = mail_outbox.queue_mail(
        db, world.tenant, "meeting_invitation", to="eva@example.org", locale="en",
        params={"name": "Eva", "host": "Max", "title": "Beratung"},
        personal_link="https://consilio.localhost/t/alpha/m/room?k=meeting-secret",
    )  # fmt: skip
    db.commit()
    assert row.id is not None
    return row.id


def _sent_in_clear(proxy: RecordingProxy) -> list[bytes]:
    return [form for form in CLEAR_FORMS if form in proxy.client_bytes]


def test_password_never_crosses_in_clear_with_starttls(
    db: Session,
    alpha: TenantWorld,
    certificate: Certificate,
    platform_smtp: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = Inbox()
    with smtp_server(inbox, tls="starttls", certificate=certificate) as port:
        proxy = RecordingProxy(port)
        _use_server(monkeypatch, proxy.port, "starttls")
        try:
            assert mail_outbox.deliver(_queue_reset(db, alpha)) == MailStatus.SENT
        finally:
            proxy.close()
    assert len(inbox.messages) == 1 and inbox.logins == [(USER.encode(), PASSWORD.encode())]
    assert b"STARTTLS" in proxy.client_bytes.upper()
    assert _sent_in_clear(proxy) == []
    assert b"advisor@alpha.example" not in proxy.client_bytes  # the envelope went encrypted


def test_implicit_tls_delivers_with_login(
    db: Session,
    alpha: TenantWorld,
    certificate: Certificate,
    platform_smtp: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = Inbox()
    with smtp_server(inbox, tls="implicit", certificate=certificate) as port:
        proxy = RecordingProxy(port)
        _use_server(monkeypatch, proxy.port, "implicit")
        try:
            assert mail_outbox.deliver(_queue_reset(db, alpha)) == MailStatus.SENT
        finally:
            proxy.close()
    assert len(inbox.messages) == 1 and inbox.logins
    assert _sent_in_clear(proxy) == [] and b"EHLO" not in proxy.client_bytes


def test_server_without_starttls_is_refused_when_tls_is_required(
    db: Session, alpha: TenantWorld, platform_smtp: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox()
    with smtp_server(inbox, tls="none") as port:
        proxy = RecordingProxy(port)
        _use_server(monkeypatch, proxy.port, "starttls")
        mail_id = _queue_reset(db, alpha)
        try:
            with pytest.raises(mail_transport.DeliveryFailed) as failure:
                mail_outbox.deliver(mail_id)
        finally:
            proxy.close()
    assert failure.value.key == "mail.error.tls_unavailable"
    assert inbox.messages == [] and inbox.logins == []
    assert _sent_in_clear(proxy) == [] and b"AUTH" not in proxy.client_bytes.upper()
    shown = mail_outbox.get_mail(db, alpha.admin_ctx, mail_id)
    assert shown.status == MailStatus.QUEUED and shown.last_error == "mail.error.tls_unavailable"
    assert "STARTTLS" in translate("en", shown.last_error)


def test_untrusted_certificate_is_refused_before_the_login(
    db: Session,
    alpha: TenantWorld,
    certificate: Certificate,
    platform_smtp: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = Inbox()
    with smtp_server(inbox, tls="starttls", certificate=certificate) as port:
        _use_server(monkeypatch, port, "starttls")
        monkeypatch.setenv("CONSILIO_SMTP_CA_FILE", "")  # only the system's CAs
        get_settings.cache_clear()
        with pytest.raises(mail_transport.DeliveryFailed) as failure:
            mail_outbox.deliver(_queue_reset(db, alpha))
    assert failure.value.key == "mail.error.certificate"
    assert inbox.messages == [] and inbox.logins == []


def test_login_without_tls_is_refused_for_good(
    db: Session, alpha: TenantWorld, platform_smtp: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox()
    with smtp_server(inbox, tls="none") as port:
        _use_server(monkeypatch, port, "none")
        assert mail_outbox.deliver(_queue_reset(db, alpha)) == MailStatus.FAILED
    assert inbox.logins == [] and inbox.messages == []
    mail = db.exec(select(OutboundMail)).one()
    db.refresh(mail)
    assert mail.last_error == "mail.error.login_needs_tls" and mail.sealed_copy is None


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.10", "169.254.169.254", "100.64.0.1"]
)
def test_tenant_smtp_host_on_a_private_network_is_refused(
    db: Session, alpha: TenantWorld, host: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        tenants.update_smtp(db, alpha.admin_ctx, host=host, port=587, username="", password=None)
    assert refused.value.key == "error.smtp_host_private"
    db.refresh(alpha.tenant)
    assert alpha.tenant.smtp_host is None


def test_tenant_smtp_host_with_a_public_address_is_accepted(
    db: Session, alpha: TenantWorld
) -> None:
    tenants.update_smtp(
        db, alpha.admin_ctx, host="192.0.43.10", port=465, username="u", password="p"
    )
    assert alpha.tenant.smtp_host == "192.0.43.10"


def test_platform_may_allow_private_tenant_smtp_hosts(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS", "true")
    get_settings.cache_clear()
    try:
        tenants.update_smtp(
            db, alpha.admin_ctx, host="127.0.0.1", port=587, username="", password=None
        )
    finally:
        monkeypatch.delenv("CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS")
        get_settings.cache_clear()
    assert alpha.tenant.smtp_host == "127.0.0.1"


def test_tenant_server_turned_private_later_is_refused_at_delivery(
    db: Session, alpha: TenantWorld, certificate: Certificate, platform_smtp: None
) -> None:
    """E.g. its DNS name now points inside: nothing connects to the private address."""
    inbox = Inbox()
    with smtp_server(inbox, tls="starttls", certificate=certificate) as port:
        alpha.tenant.smtp_host, alpha.tenant.smtp_port = "127.0.0.1", port
        db.add(alpha.tenant)
        db.commit()
        with pytest.raises(mail_transport.DeliveryFailed) as failure:
            mail_outbox.deliver(_queue_meeting_invitation(db, alpha))
    assert failure.value.key == "mail.error.host_private"
    assert inbox.messages == []


def test_tenant_server_with_starttls_delivers_when_the_platform_allows_private_hosts(
    db: Session,
    alpha: TenantWorld,
    certificate: Certificate,
    platform_smtp: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS", "true")
    get_settings.cache_clear()
    inbox = Inbox()
    with smtp_server(inbox, tls="starttls", certificate=certificate) as port:
        proxy = RecordingProxy(port)
        try:
            tenants.update_smtp(
                db,
                alpha.admin_ctx,
                host="127.0.0.1",
                port=proxy.port,
                username=USER,
                password=PASSWORD,
            )
            db.commit()
            assert mail_outbox.deliver(_queue_meeting_invitation(db, alpha)) == MailStatus.SENT
        finally:
            proxy.close()
            monkeypatch.delenv("CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS")
            get_settings.cache_clear()
    assert inbox.logins == [(USER.encode(), PASSWORD.encode())]
    assert _sent_in_clear(proxy) == []
