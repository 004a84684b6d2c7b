"""Every service read and write of tenant A, given tenant B's ids, is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from app.models import OutboundMail, Team
from app.services import advisor_import, audit, mail_outbox, teams, tenants, users
from app.services.errors import AccessDenied, NotFound
from tests.factories import TenantWorld


@pytest.fixture
def beta_team(db: Session, beta: TenantWorld) -> Team:
    team = teams.save_team(
        db, beta.admin_ctx, team_id=None, name="Beta desk", topics="", locations=""
    )
    db.commit()
    return team


@pytest.fixture
def beta_mail(db: Session, beta: TenantWorld) -> OutboundMail:
    row = mail_outbox.queue_mail(
        db,
        beta.tenant,
        "password_reset",
        to="advisor@beta.example",
        locale="en",
        params={"name": "B", "minutes": 30},
        personal_link="https://b.example/r",
    )
    db.commit()
    return row


def _attempts(
    beta: TenantWorld, beta_team: Team, beta_mail: OutboundMail
) -> dict[str, Callable[..., Any]]:
    victim = beta.advisor.id
    return {
        "open_mail": lambda db, ctx: mail_outbox.get_mail(db, ctx, beta_mail.id),
        "get_user": lambda db, ctx: users.get_user(db, ctx, victim),
        "change_role": lambda db, ctx: users.change_role(db, ctx, victim, "admin"),
        "deactivate": lambda db, ctx: users.deactivate_user(db, ctx, victim),
        "reactivate": lambda db, ctx: users.reactivate_user(db, ctx, victim),
        "resend": lambda db, ctx: users.resend_invitation(db, ctx, victim),
        "set_team_user": lambda db, ctx: users.set_team(db, ctx, victim, None, False),
        "set_team_team": lambda db, ctx: users.set_team(db, ctx, ctx.user_id, beta_team.id, False),
        "invite_into_team": lambda db, ctx: users.invite_user(
            db, ctx, email="n@alpha.example", display_name="N", role="advisor", team_id=beta_team.id
        ),
        "save_team": lambda db, ctx: teams.save_team(
            db, ctx, team_id=beta_team.id, name="Taken over", topics="", locations=""
        ),
        "delete_team": lambda db, ctx: teams.delete_team(db, ctx, beta_team.id),
    }


@pytest.mark.parametrize(
    "action",
    [
        "open_mail",
        "get_user",
        "change_role",
        "deactivate",
        "reactivate",
        "resend",
        "set_team_user",
        "set_team_team",
        "invite_into_team",
        "save_team",
        "delete_team",
    ],
)
def test_admin_of_alpha_cannot_touch_beta_by_id(
    db: Session,
    alpha: TenantWorld,
    beta: TenantWorld,
    beta_team: Team,
    beta_mail: OutboundMail,
    action: str,
) -> None:
    attempt = _attempts(beta, beta_team, beta_mail)[action]
    with pytest.raises((NotFound, AccessDenied)):
        attempt(db, alpha.admin_ctx)
    db.rollback()
    assert db.get(type(beta.advisor), beta.advisor.id).role == "advisor"
    assert db.get(Team, beta_team.id).name == "Beta desk"


def test_lists_show_only_the_callers_tenant(
    db: Session, alpha: TenantWorld, beta: TenantWorld, beta_team: Team
) -> None:
    assert {u.email for u in users.list_users(db, alpha.admin_ctx)} == {
        "admin@alpha.example",
        "advisor@alpha.example",
        "customer@alpha.example",
    }
    assert teams.list_teams(db, alpha.admin_ctx) == []
    assert all(e.tenant_id == alpha.tenant.id for e in audit.list_events(db, alpha.admin_ctx))
    assert mail_outbox.list_mails(db, alpha.admin_ctx) == []


def test_csv_import_cannot_place_advisors_in_another_tenants_team(
    db: Session, alpha: TenantWorld, beta_team: Team
) -> None:
    report = advisor_import.import_advisors(
        db, alpha.admin_ctx, b"email,display_name,team\nz@alpha.example,Z,Beta desk\n"
    )
    assert not report.imported and report.rows[0].message_key == "error.csv_unknown_team"


def test_tenant_admin_cannot_use_super_admin_services(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AccessDenied):
        tenants.list_tenants(db, alpha.admin_ctx)
    with pytest.raises(AccessDenied):
        tenants.create_tenant(db, alpha.admin_ctx, slug="evil", name="Evil")


def test_branding_change_only_touches_own_tenant(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    tenants.update_branding(db, alpha.admin_ctx, primary_color="#000000")
    db.commit()
    db.refresh(beta.tenant)
    assert beta.tenant.primary_color != "#000000"
