"""The session cookie: set only by the server (HttpOnly), collected once per sign-in."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import routes
from app.api.server import build_api
from app.services import auth, guard, sessions
from app.services.db import unit_of_work
from app.services.errors import NotSignedIn
from app.services.keys import Purpose
from app.services.secrets import unseal
from tests.factories import PASSWORD, TenantWorld


def _code(db: Session, world: TenantWorld) -> str:
    """What a completed sign-in gives the state: a hand-over code, not the session token."""
    result = auth.login(db, world.tenant, world.advisor.email, PASSWORD)
    db.commit()
    return result.handover


def test_a_hand_over_code_gives_a_fresh_session_once(db: Session, alpha: TenantWorld) -> None:
    code = _code(db, alpha)
    token = unseal(Purpose.SESSION_HANDOVER, code, max_age=sessions.HANDOVER_SECONDS)
    cookie = sessions.redeem_handover(db, code)
    db.commit()
    assert cookie != token
    assert guard.signed_in_here(db, cookie, alpha.tenant.id or 0) is not None
    # The token that went through the event socket is worthless now, and so is the code.
    assert guard.signed_in_here(db, token, alpha.tenant.id or 0) is None
    with pytest.raises(NotSignedIn):
        sessions.redeem_handover(db, code)


def test_two_browsers_racing_with_one_code_get_one_session(db: Session, alpha: TenantWorld) -> None:
    code = _code(db, alpha)
    won: list[str] = []
    barrier = threading.Barrier(4)

    def redeem() -> None:
        barrier.wait()
        try:
            with unit_of_work() as session:
                won.append(sessions.redeem_handover(session, code))
        except NotSignedIn:
            pass

    threads = [threading.Thread(target=redeem) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1


def test_a_session_waiting_for_its_second_factor_gets_no_cookie(
    db: Session, alpha: TenantWorld
) -> None:
    from tests.services.test_auth import _enable_2fa

    _enable_2fa(db, alpha)
    result = auth.login(db, alpha.tenant, alpha.advisor.email, PASSWORD)
    assert result.needs_second_factor and not result.handover
    with pytest.raises(NotSignedIn):  # even sealed by someone holding the half-open token
        sessions.redeem_handover(db, sessions.hand_over(result.pending))


def test_the_cookie_is_http_only_strict_and_sent_back_to_where_the_user_was_going(
    db: Session, alpha: TenantWorld
) -> None:
    code = _code(db, alpha)
    client = TestClient(build_api(), follow_redirects=False)
    answer = client.get(
        routes.SESSION_START,
        params={"code": code, "next": "/t/alpha/advisor"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/t/alpha/advisor"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE_NAME}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie


def test_another_site_cannot_sign_a_browser_in_or_send_it_elsewhere(
    db: Session, alpha: TenantWorld
) -> None:
    code = _code(db, alpha)
    client = TestClient(build_api(), follow_redirects=False)
    answer = client.get(
        routes.SESSION_START,
        params={"code": code, "next": "//evil.example/"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert "set-cookie" not in answer.headers
    assert answer.headers["location"] == "/"
    # The code was not spent by the refused attempt: the user's own redirect still works.
    assert sessions.redeem_handover(db, code)


def test_signing_out_clears_the_cookie(db: Session, alpha: TenantWorld) -> None:
    client = TestClient(build_api(), follow_redirects=False)
    answer = client.get(routes.SESSION_END, params={"next": "/t/alpha/login"})
    assert answer.headers["location"] == "/t/alpha/login"
    assert 'consilio_session=""' in answer.headers["set-cookie"]
    assert "Max-Age=0" in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    "fetch",
    [{"Sec-Fetch-Dest": "image", "Sec-Fetch-Mode": "no-cors"}, {"Sec-Fetch-Dest": "iframe"}],
)
def test_an_image_or_frame_on_our_own_pages_cannot_collect_a_session(
    db: Session, alpha: TenantWorld, fetch: dict[str, str]
) -> None:
    code = _code(db, alpha)
    client = TestClient(build_api(), follow_redirects=False)
    answer = client.get(
        routes.SESSION_START,
        params={"code": code},
        headers={"Sec-Fetch-Site": "same-origin", **fetch},
    )
    assert "set-cookie" not in answer.headers
