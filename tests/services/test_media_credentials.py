"""Join tokens and TURN credentials the app hands to a participant's browser."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import jwt
import pytest

from app.services import join_tokens, keys, media_pass, turn
from app.settings import get_settings

GRANT = join_tokens.JoinGrant("room-1", "p-1", "Max Muster", "participant")


def test_join_token_carries_room_participant_name_and_role() -> None:
    assert join_tokens.verify(join_tokens.issue(GRANT)) == GRANT


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "someone-else"}, "invalid"),
        ({"role": "admin"}, "invalid"),
        ({"room": ""}, "invalid"),
        ({"exp": int(time.time()) - 5}, "expired"),
    ],
)
def test_join_token_with_wrong_claims_is_refused(claims: dict[str, object], reason: str) -> None:
    good = jwt.decode(join_tokens.issue(GRANT), options={"verify_signature": False})
    kid, key = keys.signing_key(keys.Purpose.JOIN_TOKENS)
    token = jwt.encode({**good, **claims}, key, algorithm="HS256", headers={"kid": kid})
    with pytest.raises(join_tokens.JoinRefused, match=reason):
        join_tokens.verify(token)


def test_join_token_signed_with_another_key_is_refused() -> None:
    token = jwt.encode({"aud": "consilio-media", "sub": "x"}, "other", algorithm="HS256")
    with pytest.raises(join_tokens.JoinRefused):
        join_tokens.verify(token)


def test_turn_credentials_follow_the_rest_api_scheme() -> None:
    username, password = turn.credentials("p-1", now=1_000_000)
    assert username == f"{1_000_000 + get_settings().turn_credential_seconds}:p-1"
    expected = hmac.new(turn.shared_secret().encode(), username.encode(), hashlib.sha1).digest()
    assert base64.b64decode(password) == expected


def test_ice_servers_are_offered_only_when_turn_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert turn.ice_servers("p-1") == []
    monkeypatch.setenv("CONSILIO_TURN_URLS", "turn:turn.example:3478?transport=udp")
    get_settings.cache_clear()
    try:
        (server,) = turn.ice_servers("p-1")
        assert server["urls"] == ["turn:turn.example:3478?transport=udp"]
        assert server["username"].endswith(":p-1") and server["credential"]
    finally:
        monkeypatch.delenv("CONSILIO_TURN_URLS")
        get_settings.cache_clear()


def test_probe_pass_is_a_short_lived_room_of_its_own_with_stun_and_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "CONSILIO_TURN_URLS",
        "turn:turn.example:3478?transport=udp,turn:turn.example:3478?transport=tcp,"
        "turns:turn.example:5349",
    )
    get_settings.cache_clear()
    media_pass.registry.cache_clear()
    try:
        first, second = media_pass.issue_probe_pass(), media_pass.issue_probe_pass()
        grant = join_tokens.verify(first.token)
        assert grant.is_probe and grant.room.startswith("probe-")
        assert grant.room != join_tokens.verify(second.token).room
        assert first.stun_servers == [{"urls": ["stun:turn.example:3478"]}]
        (relay,) = first.turn_servers
        expiry = int(relay["username"].split(":")[0])
        assert expiry - time.time() <= media_pass.PROBE_PASS_SECONDS + 1
        assert first.as_config()["seconds"] == get_settings().media_probe_seconds
    finally:
        monkeypatch.delenv("CONSILIO_TURN_URLS")
        get_settings.cache_clear()
        media_pass.registry.cache_clear()
