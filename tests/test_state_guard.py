"""The state guard: a refused handler never runs its body and shows the reason; errors in
the body roll back; the body runs off the event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session

from app.models import Tenant
from app.services import sessions
from app.services.errors import InvalidInput
from app.services.guard import ADMINS
from state.guard import Acting, acting
from state.locale import LocaleState
from state.tenant import TenantState
from tests.factories import TenantWorld


class FakeState:
    """Just enough of a Reflex state for the guard: the socket's cookie, the page's tenant."""

    base_vars = {"error": None, "notice": None}

    def __init__(self, token: str, tenant_id: int) -> None:
        self.error = ""
        self.notice = "stale"
        self.ran: list[str] = []
        cookie = f"{sessions.COOKIE_NAME}={token}" if token else ""
        self.router = SimpleNamespace(
            headers=SimpleNamespace(cookie=cookie),
            session=SimpleNamespace(client_ip="127.0.0.1"),
        )
        tenant = SimpleNamespace(_tenant_id_in=lambda _db: tenant_id)
        self._parts: dict[type, Any] = {
            TenantState: tenant,
            LocaleState: SimpleNamespace(lang="en"),
        }

    async def get_state(self, cls: type) -> Any:
        return self._parts[cls]

    @acting(ADMINS)
    def rename(self, act: Acting, name: str) -> str:
        self.ran.append(threading.current_thread().name)
        tenant = act.db.get(Tenant, act.ctx.tenant_id)
        assert tenant is not None
        tenant.name = name
        act.db.add(tenant)
        act.db.flush()
        if name == "refused":
            raise InvalidInput("error.name_required")
        return tenant.name

    @acting(ADMINS)
    def slow(self, act: Acting) -> None:
        time.sleep(0.5)


async def test_refused_handler_never_runs_its_body_and_shows_why(
    db: Session, alpha: TenantWorld
) -> None:
    state = FakeState(token="not-a-session", tenant_id=alpha.tenant.id or 0)
    assert await state.rename("Changed") is None
    assert state.ran == []
    assert state.error == "Please sign in."
    assert state.notice == ""


async def test_a_session_of_another_tenant_is_refused(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    state = FakeState(token=token, tenant_id=beta.tenant.id or 0)
    assert await state.rename("Changed") is None
    assert state.ran == []
    db.expire_all()
    assert db.get(Tenant, beta.tenant.id).name != "Changed"


async def test_refusal_inside_the_body_is_shown_and_rolled_back(
    db: Session, alpha: TenantWorld
) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    state = FakeState(token=token, tenant_id=alpha.tenant.id or 0)
    assert await state.rename("refused") is None
    assert state.error.startswith("Please enter a name")
    db.expire_all()
    assert db.get(Tenant, alpha.tenant.id).name != "refused"


async def test_granted_body_runs_in_a_worker_thread_and_commits(
    db: Session, alpha: TenantWorld
) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    state = FakeState(token=token, tenant_id=alpha.tenant.id or 0)
    assert await state.rename("Renamed") == "Renamed"
    assert state.ran and state.ran[0] != threading.main_thread().name
    db.expire_all()
    assert db.get(Tenant, alpha.tenant.id).name == "Renamed"


async def test_a_slow_body_leaves_the_event_loop_free(db: Session, alpha: TenantWorld) -> None:
    token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    db.commit()
    state = FakeState(token=token, tenant_id=alpha.tenant.id or 0)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await state.slow()
    ticker.cancel()
    assert ticks >= 20  # ~50 expected in 0.5 s; 0 if the body had blocked the loop
