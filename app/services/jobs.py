"""Background jobs that failed for good: recorded for admins, with a hook per actor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, select

from app.models import JobFailure
from app.services.context import TenantContext
from app.services.db import unit_of_work
from app.services.errors import AccessDenied
from app.services.guard import ADMINS

logger = logging.getLogger(__name__)

GiveUpHook = Callable[[list[Any], str], int | None]
_give_up_hooks: dict[str, GiveUpHook] = {}


def on_give_up(actor_name: str, hook: GiveUpHook) -> None:
    """Register what to do when ``actor_name`` gives up; the hook returns the tenant id."""
    _give_up_hooks[actor_name] = hook


def record_failure(actor_name: str, message_id: str, args: list[Any], error: str) -> None:
    """Store a job that exhausted its retries (idempotent per message id)."""
    tenant_id = None
    hook = _give_up_hooks.get(actor_name)
    if hook is not None:
        try:
            tenant_id = hook(args, error)
        except Exception:
            logger.exception("give-up hook of %s failed", actor_name)
    with unit_of_work() as session:
        exists = session.exec(select(JobFailure).where(JobFailure.message_id == message_id)).first()
        if exists is None:
            session.add(
                JobFailure(
                    tenant_id=tenant_id,
                    actor=actor_name,
                    message_id=message_id,
                    args=args,
                    error=error[:4000],
                )
            )
    logger.error("job %s(%s) failed for good: %s", actor_name, args, error)


def list_failures(session: Session, ctx: TenantContext, *, limit: int = 100) -> list[JobFailure]:
    """Failed jobs of the tenant (and platform jobs for super admins), newest first."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    query = select(JobFailure).where(col(JobFailure.tenant_id) == ctx.tenant_id)
    return list(session.exec(query.order_by(col(JobFailure.id).desc()).limit(limit)).all())
