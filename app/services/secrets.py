"""Encryption of secret columns (TOTP seeds, SMTP passwords) with a key from the settings."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from app.settings import get_settings


@functools.cache
def _fernet(secret_key: str) -> Fernet:
    raw = hashlib.sha256(b"consilio-column-encryption:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt(plaintext: str) -> str:
    """Encrypt and authenticate ``plaintext`` for storage."""
    return _fernet(get_settings().secret_key).encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """Decrypt a value produced by :func:`encrypt`; raises ValueError when tampered with."""
    try:
        return _fernet(get_settings().secret_key).decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("secret column cannot be decrypted with the configured key") from exc


def token_hash(token: str) -> str:
    """SHA-256 hex digest of a high-entropy token (session ids, links, recovery codes)."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    """Compare two strings without leaking where they differ."""
    return hmac.compare_digest(a.encode(), b.encode())
