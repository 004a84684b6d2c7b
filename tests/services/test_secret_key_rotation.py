"""The secret key can rotate: tokens name their key, previous keys still verify and decrypt,
and data written before keys were derived with HKDF stays readable."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterator

import jwt
import pyotp
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlmodel import Session

from app.models import MeetingFile, Tenant, User
from app.services import (
    join_tokens,
    key_rotation,
    keys,
    media_signals,
    meeting_chat,
    meetings,
    totp,
)
from app.services import secrets as column_secrets
from app.settings import get_settings
from tests.factories import TenantWorld
from tests.services.test_meeting_chat import png
from tests.services.test_meetings import guest, host_of

GRANT = join_tokens.JoinGrant("room-1", "p-1", "Anna Berger", "moderator")
OLD, NEW = secrets.token_urlsafe(48), secrets.token_urlsafe(48)

Configure = Callable[..., None]


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Configure]:
    """Switch the secret key (and the previous ones) as an operator rotating it would."""

    def switch(secret: str, previous: str = "") -> None:
        monkeypatch.setenv("CONSILIO_SECRET_KEY", secret)
        monkeypatch.setenv("CONSILIO_PREVIOUS_SECRET_KEYS", previous)
        get_settings.cache_clear()

    yield switch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_join_token_names_the_key_it_was_signed_with(configure: Configure) -> None:
    configure(NEW, previous=OLD)
    token = join_tokens.issue(GRANT)
    assert jwt.get_unverified_header(token)["kid"] == keys.key_id(NEW)
    assert keys.key_id(NEW) != keys.key_id(OLD) and NEW not in token
    assert join_tokens.verify(token) == GRANT


def test_join_token_of_a_previous_key_verifies_until_it_expires(configure: Configure) -> None:
    configure(OLD)
    live = join_tokens.issue(GRANT)
    expired = join_tokens.issue(GRANT, lifetime_seconds=60, now=time.time() - 120)
    configure(NEW, previous=f"{OLD}, ")
    assert join_tokens.verify(live) == GRANT
    with pytest.raises(join_tokens.JoinRefused, match="expired"):
        join_tokens.verify(expired)


def test_join_token_of_a_key_no_longer_configured_is_refused(configure: Configure) -> None:
    configure(OLD)
    token = join_tokens.issue(GRANT)
    configure(NEW)
    with pytest.raises(join_tokens.JoinRefused, match="invalid"):
        join_tokens.verify(token)


def test_join_token_without_a_key_id_is_refused_even_with_the_right_key(
    configure: Configure,
) -> None:
    configure(NEW)
    claims = jwt.decode(join_tokens.issue(GRANT), options={"verify_signature": False})
    unnamed = jwt.encode(claims, keys.current_key(keys.Purpose.JOIN_TOKENS), algorithm="HS256")
    with pytest.raises(join_tokens.JoinRefused, match="invalid"):
        join_tokens.verify(unnamed)


def test_join_token_claiming_the_current_key_id_but_signed_otherwise_is_refused(
    configure: Configure,
) -> None:
    configure(NEW)
    claims = jwt.decode(join_tokens.issue(GRANT), options={"verify_signature": False})
    forged = jwt.encode(
        claims, keys.derive(keys.Purpose.JOIN_TOKENS, OLD), "HS256", {"kid": keys.key_id(NEW)}
    )
    with pytest.raises(join_tokens.JoinRefused, match="invalid"):
        join_tokens.verify(forged)


def test_keys_differ_per_purpose_and_node_signals_rotate_too(configure: Configure) -> None:
    derived = {keys.derive(purpose, NEW) for purpose in keys.Purpose}
    assert len(derived) == len(keys.Purpose)
    configure(OLD)
    command = media_signals.sign_command("room-1", "mute", participant="p-1", kind="audio")
    report = media_signals.sign_presence("room-1", "p-1", True)
    configure(NEW, previous=OLD)
    verified = media_signals.verify_command(command)
    assert (verified.room, verified.action) == ("room-1", "mute")
    assert media_signals.verify_presence(report) == ("room-1", "p-1", True)
    configure(NEW)
    with pytest.raises(media_signals.SignalRefused):
        media_signals.verify_command(command)
    with pytest.raises(media_signals.SignalRefused):
        media_signals.verify_presence(report)
    with pytest.raises(media_signals.SignalRefused):  # a report is not a command
        media_signals.verify_command(media_signals.sign_presence("room-1", "p-1", True))


def _old_column_fernet(secret: str) -> Fernet:
    """How secret columns were encrypted before keys were derived with HKDF."""
    raw = hashlib.sha256(b"consilio-column-encryption:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(raw))


def test_secret_columns_written_before_hkdf_or_under_a_previous_key_still_decrypt(
    configure: Configure,
) -> None:
    configure(OLD)
    before_hkdf = _old_column_fernet(OLD).encrypt(b"smtp-password").decode()
    under_old = column_secrets.encrypt("totp-seed")
    configure(NEW, previous=OLD)
    assert column_secrets.decrypt(before_hkdf) == "smtp-password"
    assert column_secrets.decrypt(under_old) == "totp-seed"
    fresh = column_secrets.encrypt("new-value")
    configure(NEW)
    assert column_secrets.decrypt(fresh) == "new-value"  # new values use the current key only
    with pytest.raises(ValueError, match="cannot be decrypted"):
        column_secrets.decrypt(under_old)


def test_totp_seed_stored_before_hkdf_still_signs_in(db: Session, alpha: TenantWorld) -> None:
    seed = pyotp.random_base32()
    user = db.get(User, alpha.advisor.id)
    assert user is not None
    user.totp_enabled = True
    before_hkdf = _old_column_fernet(get_settings().secret_key)
    user.totp_secret_encrypted = before_hkdf.encrypt(seed.encode()).decode()
    db.add(user)
    db.commit()
    assert totp.check_code(db, user, pyotp.TOTP(seed).now())


def test_chat_file_stored_before_hkdf_or_under_a_previous_key_still_opens(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    configure(OLD)
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung").room
    db.commit()
    host = host_of(db, alpha, room)
    eva = guest(db, alpha, host)
    picture = png()
    under_old = meeting_chat.share_file(db, eva, "Schaden.png", picture)
    before_hkdf = meeting_chat.share_file(db, eva, "Police.png", picture)
    db.commit()
    stored = db.get(MeetingFile, before_hkdf.file_id)
    assert stored is not None
    old_key = hashlib.sha256(b"consilio-meeting-files:" + OLD.encode()).digest()
    nonce = os.urandom(12)
    bound = f"meeting-file:{host.tenant_id}:{host.meeting_id}".encode()
    stored.data = nonce + AESGCM(old_key).encrypt(nonce, picture, bound)
    db.add(stored)
    db.commit()
    configure(NEW, previous=OLD)
    for line in (under_old, before_hkdf):
        assert meeting_chat.open_file(db, host, str(line.file_id)).data == picture


def test_reencryption_lets_the_previous_key_go_without_losing_anything(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    configure(OLD)
    seed = pyotp.random_base32()
    user = db.get(User, alpha.advisor.id)
    tenant = db.get(Tenant, alpha.tenant.id)
    assert user is not None and tenant is not None
    user.totp_enabled = True
    user.totp_secret_encrypted = _old_column_fernet(OLD).encrypt(seed.encode()).decode()
    tenant.smtp_password_encrypted = column_secrets.encrypt("smtp-password")
    db.add_all([user, tenant])
    db.commit()
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung").room
    db.commit()
    host = host_of(db, alpha, room)
    line = meeting_chat.share_file(db, guest(db, alpha, host), "Schaden.png", png())
    db.commit()
    configure(NEW, previous=OLD)
    done = key_rotation.reencrypt_stored_secrets(db)
    db.commit()
    assert (done.totp_seeds, done.smtp_passwords, done.meeting_files) == (1, 1, 1)
    configure(NEW)  # the old key is gone
    db.expire_all()
    assert totp.check_code(db, db.get(User, alpha.advisor.id), pyotp.TOTP(seed).now())
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None and tenant.smtp_password_encrypted is not None
    assert column_secrets.decrypt(tenant.smtp_password_encrypted) == "smtp-password"
    assert meeting_chat.open_file(db, host, str(line.file_id)).data == png()
