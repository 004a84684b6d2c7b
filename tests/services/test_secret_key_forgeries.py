"""The published default secret key opens nothing: tokens, commands, reports and TURN
credentials an attacker derives from it are refused by a platform configured as in production
(the tests run with a random key of their own, not in dev mode; see tests/conftest.py).

The attacker's keys are computed here as anyone can from the public code: the derivation used
before HKDF (SHA-256 of a label and the key) and the HKDF one, with its key id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi.testclient import TestClient

from app.api.server import build_api
from app.services import join_tokens, media_signals, turn
from media_nodes.turn_config import render

PUBLISHED_KEY = "dev-insecure-secret-change-me"  # as printed in the README
DERIVATIONS = ["sha256-before-hkdf", "hkdf-with-key-id"]


def _hkdf(info: bytes, length: int = 32) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info)
    return hkdf.derive(PUBLISHED_KEY.encode())


def _attacker_keys(old_label: bytes, purpose: bytes) -> list[tuple[bytes, dict[str, str]]]:
    """(key, JWT headers) an attacker would sign with, old derivation and HKDF."""
    kid = _hkdf(b"consilio:key-id", 8).hex()
    return [
        (hashlib.sha256(old_label + PUBLISHED_KEY.encode()).digest(), {}),
        (_hkdf(purpose), {"kid": kid}),
    ]


def _forge(claims: dict[str, object], key: bytes, headers: dict[str, str]) -> str:
    return jwt.encode(claims, key, algorithm="HS256", headers=headers)


@pytest.mark.parametrize(
    ("key", "headers"),
    _attacker_keys(b"consilio-join-token:", b"consilio:join-tokens"),
    ids=DERIVATIONS,
)
def test_moderator_join_token_signed_with_the_published_default_key_is_refused(
    key: bytes, headers: dict[str, str]
) -> None:
    now = int(time.time())
    claims = {
        "aud": "consilio-media",
        "iat": now,
        "exp": now + 120,
        "room": "any-real-room",
        "sub": "intruder",
        "name": "Moderator",
        "role": "moderator",
        "presenter": "intruder",
        "jti": "forged",
    }
    with pytest.raises(join_tokens.JoinRefused):
        join_tokens.verify(_forge(claims, key, headers))


@pytest.mark.parametrize(
    ("key", "headers"),
    _attacker_keys(b"consilio-join-token:", b"consilio:node-commands"),
    ids=DERIVATIONS,
)
def test_node_command_signed_with_the_published_default_key_is_refused(
    key: bytes, headers: dict[str, str]
) -> None:
    now = int(time.time())
    claims = {
        "aud": "consilio-media-command",
        "iat": now,
        "exp": now + 60,
        "room": "any-real-room",
        "action": "remove",
        "args": {"participant": "advisor"},
        "jti": "a-fresh-command-id",
    }
    with pytest.raises(media_signals.SignalRefused):
        media_signals.verify_command(_forge(claims, key, headers))


@pytest.mark.parametrize(
    ("key", "headers"),
    _attacker_keys(b"consilio-join-token:", b"consilio:presence-reports"),
    ids=DERIVATIONS,
)
def test_presence_report_signed_with_the_published_default_key_is_refused(
    key: bytes, headers: dict[str, str]
) -> None:
    now = int(time.time())
    claims = {
        "aud": "consilio-media-event",
        "iat": now,
        "exp": now + 60,
        "room": "any-real-room",
        "participant": "advisor",
        "online": False,
    }
    report = _forge(claims, key, headers)
    with pytest.raises(media_signals.SignalRefused):
        media_signals.verify_presence(report)
    assert TestClient(build_api()).post("/api/media/events", content=report).status_code == 403


def test_turn_secret_is_not_derivable_from_the_published_default_key() -> None:
    guessed = [
        hashlib.sha256(b"consilio-turn:" + PUBLISHED_KEY.encode()).hexdigest(),
        _hkdf(b"consilio:turn").hex(),
    ]
    assert turn.shared_secret() not in guessed
    config = render("production", relay_ip="203.0.113.7")
    assert all(f"static-auth-secret={secret}" not in config for secret in guessed)
    username, password = turn.credentials("intruder")
    for secret in guessed:
        forged = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
        assert base64.b64encode(forged).decode() != password
