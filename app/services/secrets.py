"""Encryption of secret columns (TOTP seeds, SMTP passwords) with a key from the settings.

Values are encrypted with the column-encryption key of the current secret key; values written
under a previous secret key, or before keys were derived with HKDF, still decrypt.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.services import keys

LEGACY_LABEL = b"consilio-column-encryption:"


@functools.cache
def _fernet(current: bytes, *older: bytes) -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key)) for key in (current, *older)])


def _column_fernet() -> MultiFernet:
    decrypting = keys.decryption_keys(keys.Purpose.COLUMN_ENCRYPTION)
    return _fernet(*decrypting, *keys.legacy_keys(LEGACY_LABEL))


def encrypt(plaintext: str) -> str:
    """Encrypt and authenticate ``plaintext`` for storage (with the current key)."""
    return _column_fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """Decrypt a value produced by :func:`encrypt`; raises ValueError when tampered with."""
    try:
        return _column_fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret column cannot be decrypted with the configured key") from exc


def reencrypt(ciphertext: str) -> str:
    """The same value encrypted under the current key (for dropping a previous key)."""
    try:
        return _column_fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret column cannot be decrypted with the configured key") from exc


def seal(purpose: keys.Purpose, plaintext: str) -> str:
    """Encrypt and authenticate ``plaintext`` with ``purpose``'s own key (e.g. a mail's
    personal links until delivery, a sign-in's session until the browser collects it)."""
    return _fernet(*keys.decryption_keys(purpose)).encrypt(plaintext.encode()).decode()


def unseal(purpose: keys.Purpose, sealed: str, *, max_age: int | None = None) -> str:
    """The plaintext of :func:`seal` (sealed under the current or a previous key).

    Raises:
        ValueError: tampered with, sealed for another purpose, or older than ``max_age``
            seconds.
    """
    try:
        return (
            _fernet(*keys.decryption_keys(purpose)).decrypt(sealed.encode(), ttl=max_age).decode()
        )
    except InvalidToken as exc:
        raise ValueError("sealed value cannot be opened") from exc


def token_hash(token: str) -> str:
    """SHA-256 hex digest of a high-entropy token (session ids, links, recovery codes)."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    """Compare two strings without leaking where they differ."""
    return hmac.compare_digest(a.encode(), b.encode())
