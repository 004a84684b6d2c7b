"""The outbox: mails stored before delivery, delivered once, and the mail log admins read.

A mail is rendered and stored in the caller's transaction (:func:`queue_mail`); after commit a
worker delivers it (:func:`deliver`). What is stored for reading is the *log copy*: personal
links (password reset, invitation, meeting link) appear there as "[personal link]" in the
mail's language, so nobody who can read the log or the database can use them. The
recipient's copy with the links is sealed (encrypted) until delivery and wiped once the mail
is sent or given up; it survives a restart in between.

Delivery claims the mail first (``queued`` -> ``sending`` in one conditional update), so two
workers, or a worker and the start-up recovery, never send it twice. A claim whose worker
died is taken over after :data:`CLAIM_TIMEOUT`.

Without an SMTP server the mail is kept in the dev outbox (dev mode only): the platform's
operators read it there with its live links. Outside dev mode there is no dev outbox.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.i18n import LANGUAGES, translate
from app.models import MailStatus, OutboundMail, Role, Tenant
from app.models.base import utcnow
from app.services import audit, mail_sender, mail_templates, mail_transport
from app.services.context import TenantContext, get_scoped, scoped
from app.services.db import after_commit, unit_of_work
from app.services.errors import AccessDenied, NotFound
from app.services.guard import ADMINS
from app.services.keys import Purpose
from app.services.secrets import seal, unseal
from app.services.tenants import branding_of
from app.settings import get_settings

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = dt.timedelta(minutes=5)
"""After this long a ``sending`` claim counts as abandoned (the actor's time limit is 2 min)."""


class MailBusy(Exception):
    """Another worker is sending this mail right now; try again later."""


@dataclasses.dataclass(frozen=True)
class MailView:
    """A mail as the mail log or the dev outbox shows it."""

    id: int
    tenant_slug: str
    to_address: str
    subject: str
    body_html: str
    body_text: str
    status: str
    attempts: int
    last_error: str
    """A ``mail.error.*`` message key, or empty."""
    created_at: dt.datetime
    sent_at: dt.datetime | None


def _seal(copy: mail_templates.RenderedMail) -> str:
    return seal(Purpose.MAIL_LINKS, json.dumps(dataclasses.asdict(copy)))


def _unseal(sealed: str) -> mail_templates.RenderedMail:
    return mail_templates.RenderedMail(**json.loads(unseal(Purpose.MAIL_LINKS, sealed)))


def queue_mail(
    session: Session,
    tenant: Tenant,
    key: str,
    *,
    to: str,
    locale: str,
    params: dict[str, Any],
    personal_link: str | None = None,
) -> OutboundMail:
    """Render and store a mail in the caller's transaction; delivery starts after commit.

    Args:
        params: the template's values (name, title...), shown in the mail log as they are.
        personal_link: a link that lets its holder act as the recipient (its secret is
            stored only hashed elsewhere). Only the platform's layout renders it (a button
            and a text line); the tenant's template never sees it (a template saved before
            that rule gets the "[personal link]" text for ``{{ link }}``). It reaches only
            the recipient's copy, never the log or the database in clear.

    Raises:
        InvalidInput: the tenant's template fails to render (``error.template_*``), or
            ``error.mail_busy`` when no render child was free in time.
    """
    assert tenant.id is not None
    lang = locale if locale in LANGUAGES else tenant.default_language
    source = mail_templates.source_for(session, tenant.id, key, lang)
    brand = branding_of(tenant)
    placeholder = translate(lang, "mail.personal_link")
    values = {**params, mail_templates.PERSONAL_LINK: placeholder}
    body = mail_templates.render_body(source, brand, values)
    log_copy = mail_templates.assemble(
        body, source, brand, placeholder if personal_link is not None else None
    )
    sealed = None
    if personal_link is not None:
        sealed = _seal(mail_templates.assemble(body, source, brand, personal_link))
    row = OutboundMail(
        tenant_id=tenant.id,
        template_key=key,
        to_address=to,
        subject=log_copy.subject,
        body_html=log_copy.html,
        body_text=log_copy.text,
        sealed_copy=sealed,
    )
    session.add(row)
    session.flush()
    mail_id = row.id
    after_commit(session, lambda: _enqueue_delivery(mail_id))
    return row


def _enqueue_delivery(mail_id: int | None) -> None:
    from workers.broker import enqueue

    enqueue("deliver_mail", mail_id)


def recipient_copy(row: OutboundMail) -> mail_templates.RenderedMail:
    """The mail as its recipient gets it, personal links included (for delivery only)."""
    if row.sealed_copy:
        return _unseal(row.sealed_copy)
    return mail_templates.RenderedMail(row.subject, row.body_html, row.body_text)


def _claim(mail_id: int) -> tuple[OutboundMail, Tenant] | str:
    """Take the mail for sending, or say why not (its status, or raise MailBusy)."""
    now = utcnow()
    claimable = (col(OutboundMail.status) == MailStatus.QUEUED.value) | (
        (col(OutboundMail.status) == MailStatus.SENDING.value)
        & (col(OutboundMail.claimed_at) < now - CLAIM_TIMEOUT)
    )
    with unit_of_work() as session:
        claimed = session.execute(
            sa.update(OutboundMail)
            .where(col(OutboundMail.id) == mail_id, claimable)
            .values(
                status=MailStatus.SENDING.value,
                claimed_at=now,
                attempts=col(OutboundMail.attempts) + 1,
            )
        )
        row = session.get(OutboundMail, mail_id)
        if row is None:
            logger.warning("mail %s no longer exists", mail_id)
            return "missing"
        if claimed.rowcount == 0:  # type: ignore[attr-defined]
            if row.status == MailStatus.SENDING:
                raise MailBusy(mail_id)
            return row.status
        tenant = session.get(Tenant, row.tenant_id)
        assert tenant is not None
        return row, tenant


def _finish(mail_id: int, status: MailStatus, error: str = "", *, wipe: bool) -> None:
    values: dict[str, Any] = {"status": status.value, "last_error": error, "claimed_at": None}
    if status == MailStatus.SENT:
        values["sent_at"] = utcnow()
    if wipe:
        values["sealed_copy"] = None
    with unit_of_work() as session:
        session.execute(
            sa.update(OutboundMail)
            .where(
                col(OutboundMail.id) == mail_id,
                col(OutboundMail.status) == MailStatus.SENDING.value,
            )
            .values(**values)
        )
        if status == MailStatus.FAILED:
            _audit_failure(session, mail_id)


def _audit_failure(session: Session, mail_id: int) -> None:
    row = session.get(OutboundMail, mail_id)
    if row is not None:
        audit.record(
            session,
            None,
            "mail.failed",
            tenant_id=row.tenant_id,
            target_type="mail",
            target_id=row.id,
            details={"to": row.to_address, "error": row.last_error},
        )


def deliver(mail_id: int) -> str:
    """Send one stored mail, at most once even when several workers try at the same time.

    Returns:
        The mail's status afterwards (``sent``, ``outbox``, ``failed`` for a permanent
        refusal, or the status it already had).

    Raises:
        MailBusy: another worker holds the mail; retry later.
        mail_transport.DeliveryFailed: a passing failure (message key for admins, also
            stored in ``last_error``); the worker retries with backoff and finally calls
            :func:`give_up`.
    """
    claim = _claim(mail_id)
    if isinstance(claim, str):
        return claim
    row, tenant = claim
    server = mail_transport.server_for(
        tenant, platform_only=row.template_key in mail_templates.ACCOUNT_MAILS
    )
    if server is None:
        if get_settings().dev_mode:
            _finish(mail_id, MailStatus.OUTBOX, wipe=False)
            return MailStatus.OUTBOX.value
        _finish(mail_id, MailStatus.QUEUED, "mail.error.no_server", wipe=False)
        raise mail_transport.DeliveryFailed("mail.error.no_server")
    copy = recipient_copy(row)
    with unit_of_work() as session:
        sender = mail_sender.sender_of(session, tenant)
    message = mail_transport.compose(
        sender=sender,
        to=row.to_address,
        subject=copy.subject,
        html=copy.html,
        text=copy.text,
        mail_id=mail_id,
    )
    try:
        mail_transport.send(server, message)
    except mail_transport.DeliveryFailed as failure:
        if failure.permanent:
            _finish(mail_id, MailStatus.FAILED, failure.key, wipe=True)
            return MailStatus.FAILED.value
        _finish(mail_id, MailStatus.QUEUED, failure.key, wipe=False)
        raise
    _finish(mail_id, MailStatus.SENT, wipe=True)
    return MailStatus.SENT.value


def give_up(mail_id: int, error: str) -> int | None:
    """Mark a mail failed after the worker exhausted its retries (admins see it).

    The sealed recipient's copy is wiped: its links are never sent now. Only a mail still
    waiting is given up, in one conditional update: a worker that claimed it meanwhile
    keeps it (and the copy it is sending).

    Returns:
        The mail's tenant id, so the job failure is filed under that tenant.
    """
    with unit_of_work() as session:
        given_up = session.execute(
            sa.update(OutboundMail)
            .where(
                col(OutboundMail.id) == mail_id,
                col(OutboundMail.status) == MailStatus.QUEUED.value,
            )
            .values(
                status=MailStatus.FAILED.value,
                last_error=sa.case(
                    (col(OutboundMail.last_error) == "", "mail.error.rejected"),
                    else_=col(OutboundMail.last_error),
                ),
                sealed_copy=None,
            )
        )
        if given_up.rowcount:  # type: ignore[attr-defined]
            _audit_failure(session, mail_id)
        tenant_id = session.exec(
            select(OutboundMail.tenant_id).where(col(OutboundMail.id) == mail_id)
        ).first()
        logger.info("mail %s given up: %s", mail_id, error)
        return tenant_id


def pending_mail_ids(session: Session) -> list[int]:
    """Mails stored but not delivered (queued, or claimed by a worker that died)."""
    stale = utcnow() - CLAIM_TIMEOUT
    rows = session.exec(
        select(OutboundMail.id).where(
            (col(OutboundMail.status) == MailStatus.QUEUED.value)
            | (
                (col(OutboundMail.status) == MailStatus.SENDING.value)
                & (col(OutboundMail.claimed_at) < stale)
            )
        )
    ).all()
    return [r for r in rows if r is not None]


def _view(
    row: OutboundMail, slug: str, copy: mail_templates.RenderedMail | None = None
) -> MailView:
    assert row.id is not None
    copy = copy or mail_templates.RenderedMail(row.subject, row.body_html, row.body_text)
    return MailView(
        id=row.id,
        tenant_slug=slug,
        to_address=row.to_address,
        subject=copy.subject,
        body_html=copy.html,
        body_text=copy.text,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def list_mails(session: Session, ctx: TenantContext, *, limit: int = 100) -> list[MailView]:
    """The tenant's newest mails, as the mail log shows them (admins; personal links hidden)."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    query = scoped(ctx, OutboundMail).order_by(col(OutboundMail.id).desc()).limit(limit)
    return [_view(row, ctx.tenant_slug) for row in session.exec(query).all()]


def get_mail(session: Session, ctx: TenantContext, mail_id: int | str) -> MailView:
    """One mail of the tenant as the log shows it (admins; personal links hidden)."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    return _view(get_scoped(session, ctx, OutboundMail, mail_id), ctx.tenant_slug)


def _require_dev_outbox(ctx: TenantContext) -> None:
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()
    if not get_settings().dev_mode:
        raise AccessDenied("outbox.dev_only")


def list_dev_outbox(session: Session, ctx: TenantContext, *, limit: int = 100) -> list[MailView]:
    """Mails of every tenant kept in the dev outbox (never sent), newest first.

    Dev mode only, for super admins: e.g. to follow a new tenant's first invitation on a
    developer's machine. Mails that went out by SMTP are not listed.
    """
    _require_dev_outbox(ctx)
    query = (
        select(OutboundMail, Tenant.slug)
        .join(Tenant, Tenant.id == OutboundMail.tenant_id)  # type: ignore[arg-type]
        .where(OutboundMail.status == MailStatus.OUTBOX.value)
        .order_by(col(OutboundMail.id).desc())
        .limit(limit)
    )
    return [_view(row, slug) for row, slug in session.exec(query).all()]


def get_dev_outbox_mail(session: Session, ctx: TenantContext, mail_id: int | str) -> MailView:
    """One mail of the dev outbox as its recipient would get it, personal links included.

    Dev mode only, for super admins; sent mails stay with their tenant.
    """
    _require_dev_outbox(ctx)
    try:
        row = session.get(OutboundMail, int(mail_id))
    except (TypeError, ValueError):
        row = None
    if row is None or row.status != MailStatus.OUTBOX.value:
        raise NotFound()
    tenant = session.get(Tenant, row.tenant_id)
    assert tenant is not None
    return _view(row, tenant.slug, recipient_copy(row))
