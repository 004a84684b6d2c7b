"""Who may send a file to which upload handler, decided from the request's headers alone."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import typing
from unittest import mock

import pytest
import reflex as rx
from sqlmodel import Session

import state
from app.api import middleware_uploads
from app.api.middleware_uploads import (
    FRAMING,
    UPLOAD_PATH,
    admit_upload,
    handler_name,
    room_admits,
    upload_rules,
)
from app.models import AssetKind
from app.services import brand_assets, meeting_moderation, meetings, sessions
from state.admin_branding import BrandingState
from tests.factories import TenantWorld
from tests.services.test_meetings import host_of, link_secret

for module in pkgutil.iter_modules(state.__path__):
    importlib.import_module(f"state.{module.name}")

LOGO = handler_name(BrandingState, "upload_logo")


def _takes_files(fn: typing.Callable[..., object]) -> bool:
    hints = typing.get_type_hints(fn)
    return any("UploadFile" in str(hint) for name, hint in hints.items() if name != "return")


def test_every_upload_handler_of_the_app_has_an_upload_rule() -> None:
    handlers = {
        f"{cls.get_full_name()}.{name}"
        for cls in rx.State.get_substates()
        if cls.__module__.startswith("state.")
        for name, handler in cls.event_handlers.items()
        if inspect.isfunction(handler.fn) and _takes_files(handler.fn)
    }
    assert handlers, "no upload handler found: the enumeration is broken"
    assert handlers == set(upload_rules())


def _scope(handler: str, *, cookie: str = "") -> dict[str, object]:
    headers = [(b"reflex-event-handler", handler.encode()), (b"reflex-client-token", b"tab-1")]
    if cookie:
        headers.append((b"cookie", f"{sessions.COOKIE_NAME}={cookie}".encode()))
    return {"type": "http", "method": "POST", "path": UPLOAD_PATH, "headers": headers}


def _admit(handler: str, *, cookie: str = "", length: int | None = None, tenant_id: int = 0):
    """The gate's answer for tab "tab-1", which has opened a page of ``tenant_id``.

    The tab's state lives in Reflex's state manager, which needs a running app; here the
    gate reads the tab's (tenant, room, link) from this stand-in instead (the e2e tests
    upload through the real one)."""

    async def tab_credential(client_token: str) -> tuple[int, str, str]:
        return (tenant_id, "", "") if client_token == "tab-1" else (0, "", "")

    with mock.patch.object(middleware_uploads, "_room_credential", tab_credential):
        return asyncio.run(admit_upload(_scope(handler, cookie=cookie), length))


def test_a_stranger_cannot_send_a_logo(db: Session, alpha: TenantWorld) -> None:
    assert _admit(LOGO).refusal == 403
    assert _admit(LOGO, cookie="made-up-session").refusal == 403


def test_an_advisor_cannot_send_a_logo(db: Session, alpha: TenantWorld) -> None:
    token = sessions.open_session(db, alpha.advisor, second_factor_passed=True)
    db.commit()
    assert _admit(LOGO, cookie=token).refusal == 403


def test_a_signed_in_admin_may_send_a_logo_up_to_its_limit(db: Session, alpha: TenantWorld) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    admitted = _admit(LOGO, cookie=token, tenant_id=alpha.tenant.id or 0)
    assert admitted.refusal == 0
    assert admitted.limit == brand_assets.LIMITS[AssetKind.LOGO].max_bytes + FRAMING


def test_an_admin_of_another_tenant_cannot_send_a_logo(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    token = sessions.open_session(db, beta.admin, second_factor_passed=True)
    db.commit()
    assert _admit(LOGO, cookie=token, tenant_id=alpha.tenant.id or 0).refusal == 403


def test_an_admin_whose_second_factor_is_pending_cannot_send_a_logo(
    db: Session, alpha: TenantWorld
) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=False)
    db.commit()
    assert _admit(LOGO, cookie=token, tenant_id=alpha.tenant.id or 0).refusal == 403


def test_a_body_declared_too_large_is_refused_before_anyone_is_asked(database_url: str) -> None:
    assert _admit(LOGO, length=300 * 1024 * 1024).refusal == 413


def test_an_upload_to_a_handler_without_a_rule_is_refused(database_url: str) -> None:
    assert _admit(handler_name(BrandingState, "save")).refusal == 403
    assert _admit("").refusal == 403


@pytest.fixture
def room(db: Session, alpha: TenantWorld) -> str:
    meeting = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung Hausrat")
    db.commit()
    return meeting.room


def test_a_guests_personal_link_admits_uploads_to_its_room_only(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    assert alpha.tenant.id is not None
    host = host_of(db, alpha, room)
    link = meetings.invite(db, host, name="Eva Gast")
    db.commit()
    other = meetings.start_meeting(db, alpha.advisor_ctx, "Andere Beratung").room
    db.commit()
    secret = link_secret(link)
    assert room_admits(alpha.tenant.id, room, secret, "")
    assert not room_admits(alpha.tenant.id, other, secret, "")
    assert not room_admits(alpha.tenant.id, room, "made-up-secret", "")
    assert not room_admits(alpha.tenant.id, room, "", "")


def test_the_hosts_session_admits_uploads_and_a_removed_guest_is_refused(
    db: Session, alpha: TenantWorld, room: str
) -> None:
    assert alpha.tenant.id is not None
    host = host_of(db, alpha, room)
    token = sessions.open_session(db, alpha.advisor, second_factor_passed=True)
    link = meetings.invite(db, host, name="Eva Gast")
    db.commit()
    assert room_admits(alpha.tenant.id, room, "", token)
    assert not room_admits(alpha.tenant.id, room, "", "made-up-session")
    secret = link_secret(link)
    eva = meetings.authorize_attendee(db, alpha.tenant.id, room, link_secret=secret)
    eva = meetings.join(db, eva, name="Eva Gast", consent=True)
    db.commit()
    assert room_admits(alpha.tenant.id, room, secret, "")
    meeting_moderation.remove_participant(db, host, eva.key)
    db.commit()
    assert not room_admits(alpha.tenant.id, room, secret, "")
