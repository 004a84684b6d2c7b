"""Admins must use two-factor authentication (tenant setting, on by default)."""

from __future__ import annotations

import pyotp
import pytest
from sqlmodel import Session

from app.models import Tenant
from app.services import auth, guard, sessions, totp
from app.services.errors import AccessDenied
from app.services.guard import PageAccess
from tests.factories import PASSWORD, make_world


def _signed_in(db: Session, tenant: Tenant, email: str) -> str:
    """The session cookie a browser collects after signing in."""
    cookie = sessions.redeem_handover(db, auth.login(db, tenant, email, PASSWORD).handover)
    db.commit()
    return cookie


def test_new_tenants_demand_two_factor_authentication_of_admins() -> None:
    assert Tenant(slug="x", name="X").admins_need_2fa is True


def test_an_admin_without_a_second_factor_can_only_set_one_up(db: Session) -> None:
    world = make_world(db, "strict", admins_need_2fa=True)
    tenant_id = world.tenant.id or 0
    token = _signed_in(db, world.tenant, world.admin.email)

    with pytest.raises(AccessDenied) as refused:
        guard.authorize(db, token, tenant_id=tenant_id, roles=guard.ADMINS)
    assert refused.value.key == "error.admin_2fa_required"
    assert guard.check_page(db, token, tenant_id, "admin")[0] is PageAccess.ENROL_2FA
    # Their own account page (open to every role) is where they set it up.
    assert guard.check_page(db, token, tenant_id, "any")[0] is PageAccess.GRANTED
    ctx = guard.authorize(db, token, tenant_id=tenant_id, roles=guard.ALL_ROLES)

    enrolment = totp.begin_enrolment(db, ctx, password=PASSWORD)
    code = pyotp.TOTP(enrolment.secret).now()
    totp.confirm_enrolment(db, ctx, secret=enrolment.secret, code=code, keep_token=token)
    db.commit()
    assert guard.authorize(db, token, tenant_id=tenant_id, roles=guard.ADMINS).role


def test_advisors_are_not_held_to_the_admin_rule(db: Session) -> None:
    world = make_world(db, "strict", admins_need_2fa=True)
    token = _signed_in(db, world.tenant, world.advisor.email)
    assert guard.authorize(db, token, tenant_id=world.tenant.id or 0, roles=guard.STAFF)
    who = sessions.validate(db, token)
    assert who.may_act_in_role


def test_an_admin_without_a_second_factor_cannot_host_a_meeting_either(db: Session) -> None:
    from app.services import meetings

    world = make_world(db, "strict", admins_need_2fa=False)
    room = meetings.start_meeting(db, world.admin_ctx, "Beratung").room
    tenant = db.get(Tenant, world.tenant.id)
    tenant.admins_need_2fa = True  # switched on after the meeting was opened
    db.add(tenant)
    db.commit()
    token = sessions.open_session(db, world.admin, second_factor_passed=True)
    db.commit()
    with pytest.raises(AccessDenied) as refused:
        meetings.authorize_attendee(db, world.tenant.id or 0, room, session_token=token)
    assert refused.value.key == "error.admin_2fa_required"
