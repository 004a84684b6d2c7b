"""The platform's dev outbox: super admins read mails kept (not sent) in any tenant."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import MailStatus, OutboundMail, Role
from app.services import mail
from app.services.errors import AccessDenied, NotFound
from tests.factories import TenantWorld, context_of, make_tenant, make_user

PARAMS = {"name": "N", "link": "https://x.example/a", "hours": 72}


def _kept(db: Session, world: TenantWorld, to: str, status: MailStatus) -> OutboundMail:
    row = mail.queue_mail(db, world.tenant, "invitation", to=to, locale="de", params=PARAMS)
    row.status = status.value
    db.add(row)
    db.commit()
    return row


def test_super_admin_sees_kept_mails_of_every_tenant_but_not_sent_ones(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    platform = make_tenant(db, "platform")
    operator = context_of(
        platform, make_user(db, platform, "op@consilio.example", Role.SUPER_ADMIN)
    )
    kept_alpha = _kept(db, alpha, "new@alpha.example", MailStatus.OUTBOX)
    kept_beta = _kept(db, beta, "new@beta.example", MailStatus.OUTBOX)
    sent = _kept(db, beta, "sent@beta.example", MailStatus.SENT)

    listed = {(m.id, slug) for m, slug in mail.list_dev_outbox(db, operator)}
    assert listed == {(kept_alpha.id, "alpha"), (kept_beta.id, "beta")}
    assert mail.get_dev_outbox_mail(db, operator, kept_beta.id).to_address == "new@beta.example"
    with pytest.raises(NotFound):
        mail.get_dev_outbox_mail(db, operator, sent.id)


@pytest.mark.parametrize("who", ["admin", "advisor", "customer"])
def test_nobody_else_reads_the_dev_outbox(db: Session, alpha: TenantWorld, who: str) -> None:
    kept = _kept(db, alpha, "new@alpha.example", MailStatus.OUTBOX)
    ctx = {"admin": alpha.admin_ctx, "advisor": alpha.advisor_ctx, "customer": alpha.customer_ctx}[
        who
    ]
    with pytest.raises(AccessDenied):
        mail.list_dev_outbox(db, ctx)
    with pytest.raises(AccessDenied):
        mail.get_dev_outbox_mail(db, ctx, kept.id)
