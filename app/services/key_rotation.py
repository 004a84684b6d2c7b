"""Stored secrets encrypted again under the current secret key, so previous keys can go.

Rotating ``CONSILIO_SECRET_KEY``: set the new key and list the old one in
``CONSILIO_PREVIOUS_SECRET_KEYS`` on every process; run ``python -m app.manage reencrypt``
once; after the longest token lifetime (TURN credentials: ``CONSILIO_TURN_CREDENTIAL_SECONDS``)
remove the old key from the list. Values written before keys were derived with HKDF are
re-encrypted too.
"""

from __future__ import annotations

import dataclasses
import logging

from sqlmodel import Session, col, select

from app.models import MeetingFile, Tenant, User
from app.services import meeting_chat, secrets

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Reencrypted:
    """How many stored values were encrypted again."""

    totp_seeds: int
    smtp_passwords: int
    meeting_files: int


def reencrypt_stored_secrets(session: Session) -> Reencrypted:
    """Encrypt TOTP seeds, tenant SMTP passwords and chat files again under the current key.

    Platform-wide (every tenant), one row at a time; the caller commits. Raises ValueError when
    a value cannot be decrypted with any configured key (nothing is committed then).
    """
    users = session.exec(select(User).where(col(User.totp_secret_encrypted).is_not(None))).all()
    for user in users:
        assert user.totp_secret_encrypted is not None
        user.totp_secret_encrypted = secrets.reencrypt(user.totp_secret_encrypted)
        session.add(user)
    tenants = session.exec(
        select(Tenant).where(col(Tenant.smtp_password_encrypted).is_not(None))
    ).all()
    for tenant in tenants:
        assert tenant.smtp_password_encrypted is not None
        tenant.smtp_password_encrypted = secrets.reencrypt(tenant.smtp_password_encrypted)
        session.add(tenant)
    file_ids = session.exec(select(MeetingFile.id)).all()
    for file_id in file_ids:
        file = session.get(MeetingFile, file_id)
        assert file is not None
        meeting_chat.reencrypt_stored_file(file)
        session.add(file)
        session.flush()
        session.expunge(file)  # keep one file in memory at a time
    done = Reencrypted(len(users), len(tenants), len(file_ids))
    logger.info("re-encrypted under the current key: %s", done)
    return done
