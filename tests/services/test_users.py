"""Invitations, activation, password reset, roles: what admins and new users rely on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlmodel import Session, select

from app.models import ActionToken, OutboundMail, Role, User, UserStatus
from app.models.base import utcnow
from app.services import auth, mail_outbox, users
from app.services.errors import AccessDenied, InvalidInput
from tests.factories import TenantWorld


def _link_token(db: Session, to: str) -> str:
    mail = db.exec(
        select(OutboundMail).where(OutboundMail.to_address == to).order_by(OutboundMail.id.desc())
    ).first()  # type: ignore[union-attr]
    assert mail is not None
    text = mail_outbox.recipient_copy(mail).text  # what the recipient gets, not the log
    match = re.search(r"token=([A-Za-z0-9_\-]+)", text)
    assert match, text
    return match.group(1)


def test_invited_user_activates_with_the_mailed_link_and_can_sign_in(
    db: Session, alpha: TenantWorld, _no_job_delivery
) -> None:
    user = users.invite_user(
        db,
        alpha.admin_ctx,
        email="New.Advisor@Alpha.example",
        display_name="New Advisor",
        role=Role.ADVISOR,
    )
    db.commit()
    assert user.status == UserStatus.INVITED and user.email == "new.advisor@alpha.example"
    assert _no_job_delivery and _no_job_delivery[0][0] == "deliver_mail"
    token = _link_token(db, user.email)
    users.activate_account(db, alpha.tenant, token, "a long enough password")
    db.commit()
    assert auth.login(db, alpha.tenant, user.email, "a long enough password").handover


def test_activation_link_works_only_once(db: Session, alpha: TenantWorld) -> None:
    user = users.invite_user(
        db, alpha.admin_ctx, email="x@alpha.example", display_name="X", role="advisor"
    )
    db.commit()
    token = _link_token(db, user.email)
    users.activate_account(db, alpha.tenant, token, "a long enough password")
    db.commit()
    with pytest.raises(InvalidInput) as exc:
        users.activate_account(db, alpha.tenant, token, "another long password")
    assert exc.value.key == "error.link_invalid"


def test_expired_reset_link_is_refused_and_changes_nothing(db: Session, alpha: TenantWorld) -> None:
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example")
    db.commit()
    token = _link_token(db, "advisor@alpha.example")
    row = db.exec(select(ActionToken)).one()
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.add(row)
    db.commit()
    before = db.get(User, alpha.advisor.id).password_hash
    with pytest.raises(InvalidInput) as exc:
        users.reset_password(db, alpha.tenant, token, "brand new password!")
    assert exc.value.key == "error.link_expired"
    db.rollback()
    assert db.get(User, alpha.advisor.id).password_hash == before


def test_reset_for_unknown_address_sends_nothing_and_says_nothing(
    db: Session, alpha: TenantWorld
) -> None:
    users.request_password_reset(db, alpha.tenant, "nobody@alpha.example")
    db.commit()
    assert db.exec(select(OutboundMail)).all() == []


def test_weak_password_is_refused_by_tenant_policy(db: Session, alpha: TenantWorld) -> None:
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example")
    db.commit()
    token = _link_token(db, "advisor@alpha.example")
    with pytest.raises(InvalidInput) as exc:
        users.reset_password(db, alpha.tenant, token, "short")
    assert exc.value.key == "error.password_too_short"
    assert exc.value.params == {"min_length": alpha.tenant.password_min_length}


def test_a_new_reset_link_voids_the_older_one(db: Session, alpha: TenantWorld) -> None:
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example")
    db.commit()
    old = _link_token(db, "advisor@alpha.example")
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example")
    db.commit()
    with pytest.raises(InvalidInput):
        users.reset_password(db, alpha.tenant, old, "brand new password!")


def test_duplicate_email_in_tenant_is_refused(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        users.invite_user(
            db, alpha.admin_ctx, email="advisor@alpha.example", display_name="A", role="advisor"
        )
    assert exc.value.key == "error.email_taken"


def test_same_email_may_exist_in_two_tenants(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    users.invite_user(
        db, beta.admin_ctx, email="advisor@alpha.example", display_name="A", role="advisor"
    )
    db.commit()


def test_advisors_and_customers_cannot_invite(db: Session, alpha: TenantWorld) -> None:
    for ctx in (alpha.advisor_ctx, alpha.customer_ctx):
        with pytest.raises(AccessDenied):
            users.invite_user(db, ctx, email="y@alpha.example", display_name="Y", role="admin")


def test_admin_cannot_create_super_admins(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(InvalidInput):
        users.invite_user(
            db, alpha.admin_ctx, email="y@alpha.example", display_name="Y", role="super_admin"
        )


def test_role_change_is_audited_and_admin_cannot_demote_self(
    db: Session, alpha: TenantWorld
) -> None:
    users.change_role(db, alpha.admin_ctx, alpha.advisor.id, "admin")
    db.commit()
    assert db.get(User, alpha.advisor.id).role == "admin"
    with pytest.raises(InvalidInput):
        users.change_role(db, alpha.admin_ctx, alpha.admin.id, "customer")


def test_invalid_email_is_refused_with_clear_key(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(InvalidInput) as exc:
        users.invite_user(
            db, alpha.admin_ctx, email="not-an-address", display_name="Y", role="advisor"
        )
    assert exc.value.key == "error.email_invalid"
