"""A tenant admin's mail settings: the SMTP password and the sender address.

Before: changing the SMTP host (or port, or user name) with the password field left empty
kept the stored password, so it went to the new host at the next delivery; the sender
address only needed an "@", so an admin could send as ``ceo@other-bank.example``.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import TenantDomain
from app.models.base import utcnow
from app.services import mail_outbox, tenants
from app.services.errors import InvalidInput
from app.services.secrets import decrypt
from app.settings import get_settings
from tests.factories import TenantWorld
from tests.smtp_servers import Inbox, smtp_server

FIRST_HOST, OTHER_HOST = "192.0.43.10", "192.0.32.10"  # public addresses (no DNS needed)


def _set_server(
    db: Session, world: TenantWorld, *, host: str = FIRST_HOST, port: int = 587,
    username: str = "mailer", password: str | None = None,
) -> str | None:  # fmt: skip
    tenants.update_smtp(
        db, world.admin_ctx, host=host, port=port, username=username, password=password
    )
    db.commit()
    db.refresh(world.tenant)
    stored = world.tenant.smtp_password_encrypted
    return decrypt(stored) if stored else None


@pytest.mark.parametrize(
    "change", [{"host": OTHER_HOST}, {"port": 465}, {"username": "someone-else"}]
)
def test_stored_smtp_password_never_goes_to_a_changed_server(
    db: Session, alpha: TenantWorld, change: dict[str, object]
) -> None:
    assert _set_server(db, alpha, password="smtp-secret") == "smtp-secret"
    assert _set_server(db, alpha, **change) is None  # type: ignore[arg-type]


def test_stored_smtp_password_stays_while_the_server_stays(db: Session, alpha: TenantWorld) -> None:
    assert _set_server(db, alpha, password="smtp-secret") == "smtp-secret"
    assert _set_server(db, alpha, host=f" {FIRST_HOST} ") == "smtp-secret"


def test_a_changed_server_takes_the_new_password_given_with_it(
    db: Session, alpha: TenantWorld
) -> None:
    _set_server(db, alpha, password="smtp-secret")
    assert _set_server(db, alpha, host=OTHER_HOST, password="new-secret") == "new-secret"


# --- the sender address ---------------------------------------------------------------------
def _prove(db: Session, world: TenantWorld, host: str) -> None:
    db.add(
        TenantDomain(
            tenant_id=world.tenant.id,
            host=host,
            challenge="x",
            status="approved",
            confirmed_at=utcnow(),
        )
    )
    db.commit()


@pytest.mark.parametrize(
    ("sender", "key"),
    [
        ("ceo@other-bank.example", "error.mail_from_domain"),
        ("Alpha <no-reply@beta.example>", "error.mail_from_domain"),
        ("no-reply@alpha.example.attacker.example", "error.mail_from_domain"),
        ("no-reply@mail.consilio.localhost", "error.mail_from_domain"),
        ("two@alpha.example, ceo@other-bank.example", "error.email_invalid"),
        ("no-reply@alpha.example\nBcc: x@other-bank.example", "error.email_invalid"),
        ("no-reply@", "error.email_invalid"),
    ],
)
def test_sender_outside_the_tenants_proven_domains_is_refused(
    db: Session, alpha: TenantWorld, beta: TenantWorld, sender: str, key: str
) -> None:
    _prove(db, alpha, "alpha.example")
    _prove(db, beta, "beta.example")
    with pytest.raises(InvalidInput) as refused:
        tenants.update_branding(db, alpha.admin_ctx, mail_from=sender)
    db.rollback()
    assert refused.value.key == key
    db.refresh(alpha.tenant)
    assert alpha.tenant.mail_from is None


def test_a_claimed_but_unproven_domain_is_no_sender_domain(db: Session, alpha: TenantWorld) -> None:
    db.add(TenantDomain(tenant_id=alpha.tenant.id, host="alpha.example", challenge="x"))
    db.commit()
    with pytest.raises(InvalidInput, match="mail_from_domain"):
        tenants.update_branding(db, alpha.admin_ctx, mail_from="no-reply@alpha.example")


@pytest.mark.parametrize(
    "sender",
    ["no-reply@alpha.example", "Alpha Beratung <Beratung@ALPHA.example>", "x@consilio.localhost"],
)
def test_sender_on_a_proven_or_the_platforms_domain_is_accepted(
    db: Session, alpha: TenantWorld, sender: str
) -> None:
    _prove(db, alpha, "alpha.example")
    tenants.update_branding(db, alpha.admin_ctx, mail_from=sender)
    assert alpha.tenant.mail_from == sender


def test_a_sender_stored_before_the_check_is_not_used(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mail of a tenant whose stored sender is on someone else's domain goes out from the
    platform's address (e.g. set before this check, or its domain was removed since)."""
    alpha.tenant.mail_from = "ceo@other-bank.example"
    db.add(alpha.tenant)
    db.commit()
    inbox = Inbox()
    with smtp_server(inbox) as port:
        monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CONSILIO_SMTP_PORT", str(port))
        monkeypatch.setenv("CONSILIO_SMTP_TLS", "none")
        get_settings.cache_clear()
        try:
            row = mail_outbox.queue_mail(
                db, alpha.tenant, "meeting_invitation", to="eva@example.org", locale="en",
                params={"name": "Eva", "host": "Max", "title": "Beratung"},
                personal_link="https://consilio.localhost/t/alpha/meeting/r?k=secret",
            )  # fmt: skip
            db.commit()
            assert row.id is not None
            mail_outbox.deliver(row.id)
        finally:
            get_settings.cache_clear()
    (message,) = inbox.messages
    assert "other-bank.example" not in message["From"]
    assert "consilio.localhost" in message["From"]
    assert "other-bank.example" not in message["X-MailFrom"]
