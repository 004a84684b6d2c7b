"""Every actor, registered on the broker from workers.broker. Actors take ids and call services."""

from __future__ import annotations

import dramatiq

from app.services import jobs, mail_outbox
from workers.broker import get_broker

get_broker()

MINUTE_MS = 60_000


@dramatiq.actor(
    actor_name="deliver_mail",
    max_retries=8,
    min_backoff=15_000,
    max_backoff=60 * MINUTE_MS,
    time_limit=2 * MINUTE_MS,
)
def deliver_mail(mail_id: int) -> None:
    """Deliver one stored mail by SMTP (or into the dev outbox). Safe to run twice.

    A mail another worker is sending (``MailBusy``) and a passing SMTP failure raise, so
    Dramatiq retries with backoff; a mail already sent is left alone.
    """
    mail_outbox.deliver(mail_id)


jobs.on_give_up("deliver_mail", lambda args, error: mail_outbox.give_up(int(args[0]), error))
