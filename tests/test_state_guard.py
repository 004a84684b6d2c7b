"""The state guard: a refused handler shows the reason and changes nothing, without crashing
(a crash would end a room's live listener, or show a generic error instead of the reason)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from state.guard import acting
from state.locale import LocaleState
from state.session import SessionState
from state.tenant import TenantState
from tests.factories import TenantWorld


class _Locale:
    lang = "en"

    def text(self, key: str, **_params: object) -> str:
        return key


class FakeState:
    """Just enough of a Reflex state for the guard."""

    def __init__(self, token: str, tenant_id: int) -> None:
        self.error = ""
        self.notice = ""
        self._parts: dict[type, Any] = {
            SessionState: type("S", (), {"token": token})(),
            TenantState: type("T", (), {"tenant_id": tenant_id})(),
            LocaleState: _Locale(),
        }

    async def get_state(self, cls: type) -> Any:
        return self._parts[cls]


async def test_refused_handler_stops_at_its_first_step_and_shows_why(
    db: Session, alpha: TenantWorld
) -> None:
    from app.services.guard import ADMINS

    state = FakeState(token="not-a-session", tenant_id=alpha.tenant.id or 0)
    reached: list[str] = []
    async with acting(state, ADMINS) as act:  # type: ignore[arg-type]
        reached.append(act.ctx.actor_label)
    assert reached == []
    assert state.error == "error.not_signed_in"


async def test_refusal_inside_the_body_is_shown_and_rolled_back(
    db: Session, alpha: TenantWorld
) -> None:
    from app.models import Tenant
    from app.services import sessions
    from app.services.errors import InvalidInput
    from app.services.guard import ADMINS

    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    state = FakeState(token=token, tenant_id=alpha.tenant.id or 0)
    async with acting(state, ADMINS) as act:  # type: ignore[arg-type]
        tenant = act.db.get(Tenant, alpha.tenant.id)
        tenant.name = "Changed"
        act.db.add(tenant)
        act.db.flush()
        raise InvalidInput("error.name_required")
    assert state.error == "error.name_required"
    db.expire_all()
    assert db.get(Tenant, alpha.tenant.id).name != "Changed"
