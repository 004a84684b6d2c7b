"""Start-up work of the web process: in-process worker (dev) and recovery of pending mail."""

from __future__ import annotations

import asyncio
import logging

from app.services import mail_outbox, mail_renderer
from app.services.db import unit_of_work
from workers import broker

logger = logging.getLogger(__name__)


def recover_pending_mail() -> int:
    """Enqueue every stored, undelivered mail again.

    Several web processes may do this at once and a mail may still be on its way: delivery
    claims a mail before sending it, so each is sent once. Mails whose worker died while
    sending are taken over once their claim is stale.
    """
    with unit_of_work() as session:
        ids = mail_outbox.pending_mail_ids(session)
    for mail_id in ids:
        broker.enqueue("deliver_mail", mail_id)
    if ids:
        logger.info("re-enqueued %d pending mails", len(ids))
    return len(ids)


async def run_background_services() -> None:
    """Reflex lifespan task: run jobs in-process when there is no Redis, until shutdown."""
    from workers import in_process

    in_process.start()
    try:
        await asyncio.to_thread(recover_pending_mail)
        while True:
            await asyncio.sleep(3600)
    finally:
        in_process.stop()
        mail_renderer.stop_children()
