"""The platform's secret key: refused when unsafe, and one derived key per purpose.

Every key Consilio signs or encrypts with is derived from ``CONSILIO_SECRET_KEY`` with
HKDF-SHA256 (``info`` = the purpose), so a key that leaves the platform for one use (coturn's
shared secret, say) tells nothing about another. Keys listed in
``CONSILIO_PREVIOUS_SECRET_KEYS`` are still accepted for verifying and decrypting, never for
signing or encrypting, so the secret key can rotate without refusing live tokens or losing
stored data. Signed tokens carry a key id (``kid``) naming the secret they were signed with.

Outside dev mode the web app, the workers and the media nodes refuse to start with the
published default key or a key under 32 bytes (:func:`refuse_unsafe_secret_key`).
"""

from __future__ import annotations

import enum
import functools
import hashlib

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.settings import DEV_SECRET_KEY, Settings, get_settings

MIN_SECRET_BYTES = 32
KEY_ID_INFO = b"consilio:key-id"
HOW_TO_GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


class Purpose(enum.StrEnum):
    """What a derived key is used for (its HKDF ``info``)."""

    COLUMN_ENCRYPTION = "consilio:column-encryption"  # TOTP seeds, SMTP passwords (Fernet)
    JOIN_TOKENS = "consilio:join-tokens"  # app -> media node: who may join which room
    NODE_COMMANDS = "consilio:node-commands"  # app -> media node: mute, remove, presenter
    PRESENCE_REPORTS = "consilio:presence-reports"  # media node -> app: who is connected
    TURN = "consilio:turn"  # coturn's static-auth-secret
    MEETING_FILES = "consilio:meeting-files"  # chat files at rest (AES-GCM)
    MAIL_LINKS = "consilio:mail-links"  # personal links rendered into mails at delivery
    SESSION_HANDOVER = "consilio:session-handover"  # sign-in -> the HttpOnly session cookie


class UnsafeSecretKey(SystemExit):
    """The configured secret key must not be used here; the process stops with the reason."""


def unsafe_secret_key_reason(settings: Settings | None = None) -> str | None:
    """Why the configured keys are unsafe for this environment, or None when they are fine.

    Dev mode accepts anything (a developer's machine signs nothing of value). Elsewhere the
    secret key, every previous key and an explicit TURN secret must be at least 32 bytes and
    none may be the published default.
    """
    settings = settings or get_settings()
    if settings.dev_mode:
        return None
    named = [("CONSILIO_SECRET_KEY", settings.secret_key)]
    named += [("CONSILIO_PREVIOUS_SECRET_KEYS", key) for key in previous_secrets(settings)]
    if settings.turn_secret:
        named.append(("CONSILIO_TURN_SECRET", settings.turn_secret))
    for variable, value in named:
        if value == DEV_SECRET_KEY:
            return (
                f"{variable} holds the published development default, which anyone can use "
                "to forge join tokens and node commands."
            )
        if len(value.encode()) < MIN_SECRET_BYTES:
            return f"{variable} is shorter than {MIN_SECRET_BYTES} bytes."
    return None


def refuse_unsafe_secret_key(settings: Settings | None = None) -> None:
    """Stop the process (web, worker, media node) when its secret key is unsafe.

    Raises:
        UnsafeSecretKey: a SystemExit whose message names the variable and how to make a key.
    """
    reason = unsafe_secret_key_reason(settings)
    if reason is None:
        return
    raise UnsafeSecretKey(
        f"Consilio refuses to start: {reason}\n"
        f"Generate a key with  {HOW_TO_GENERATE}  and set it as CONSILIO_SECRET_KEY (the same "
        "value on web, workers and media nodes), or set CONSILIO_ENVIRONMENT=dev on a "
        "developer's machine (`make dev` writes both into .env)."
    )


def previous_secrets(settings: Settings | None = None) -> list[str]:
    """The former secret keys still accepted for verifying and decrypting."""
    settings = settings or get_settings()
    return [key.strip() for key in settings.previous_secret_keys.split(",") if key.strip()]


def secrets_in_use(settings: Settings | None = None) -> list[str]:
    """The current secret key first, then the previous ones."""
    settings = settings or get_settings()
    return [settings.secret_key, *previous_secrets(settings)]


@functools.cache
def derive(purpose: Purpose, secret: str) -> bytes:
    """The 32-byte key for ``purpose`` derived from ``secret`` (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.value.encode())
    return hkdf.derive(secret.encode())


@functools.cache
def key_id(secret: str) -> str:
    """A public name for ``secret`` (tokens carry it as ``kid``); reveals nothing of it."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=8, salt=None, info=KEY_ID_INFO)
    return hkdf.derive(secret.encode()).hex()


def current_key(purpose: Purpose) -> bytes:
    """The key to sign or encrypt with now."""
    return derive(purpose, get_settings().secret_key)


def signing_key(purpose: Purpose) -> tuple[str, bytes]:
    """(kid, key) to sign a token for ``purpose`` with."""
    secret = get_settings().secret_key
    return key_id(secret), derive(purpose, secret)


def verifying_key(purpose: Purpose, kid: object) -> bytes | None:
    """The key of a configured secret (current or previous) named ``kid``, else None."""
    for secret in secrets_in_use():
        if key_id(secret) == kid:
            return derive(purpose, secret)
    return None


def token_key(purpose: Purpose, token: str) -> bytes | None:
    """The key to verify a signed token (JWT) with, chosen by its ``kid`` header; None when
    the token names no configured secret (or has no readable header)."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return None
    return verifying_key(purpose, header.get("kid"))


def decryption_keys(purpose: Purpose) -> list[bytes]:
    """Keys to try when decrypting, current first, then those of previous secrets."""
    return [derive(purpose, secret) for secret in secrets_in_use()]


def legacy_keys(label: bytes) -> list[bytes]:
    """Keys of the derivation used before HKDF (SHA-256 of a label and the secret).

    Only for decrypting data stored before: TOTP seeds, SMTP passwords, chat files.
    """
    return [hashlib.sha256(label + secret.encode()).digest() for secret in secrets_in_use()]
