"""The one broker setup, imported before any actor.

With ``CONSILIO_REDIS_URL`` set, messages go through Redis and survive restarts; the
``worker`` process of the Procfile consumes them. Without it (the embedded dev default),
a StubBroker holds messages in memory and worker threads inside the web process run them
(workers/in_process.py); pending mails are re-enqueued at start-up, so a restart loses
nothing. Nothing here imports an actor: callers enqueue by actor name.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage, Middleware

from app.i18n import REFERENCE, catalog
from app.services import keys
from app.settings import get_settings

logger = logging.getLogger(__name__)
QUEUE = "default"
UNEXPECTED = "jobs.error.unexpected"


class FailureRecorder(Middleware):
    """Files a job failure for admins once a message has exhausted its retries.

    Dramatiq rejects (nacks) a message only after the Retries middleware gave up on it, so
    ``after_nack`` sees exactly the messages that failed for good.
    """

    def after_nack(self, broker: dramatiq.Broker, message: Any) -> None:
        from app.services import jobs

        exception = getattr(message, "_exception", None)
        if exception is not None:  # the details stay in the log; admins get a message key
            logger.warning(
                "job %s(%s) failed for good: %s: %s",
                message.actor_name,
                list(message.args),
                type(exception).__name__,
                exception,
            )
        error = failure_message(exception)
        jobs.record_failure(message.actor_name, message.message_id, list(message.args), error)


def failure_message(exception: BaseException | None) -> str:
    """The message key a failed job is shown with: the error's own (e.g.
    ``mail.error.tls``) when it carries a complete one, else ``jobs.error.unexpected``.

    Never the exception's text, which may hold server replies, addresses or paths.
    """
    key = getattr(exception, "key", None)
    if isinstance(key, str) and key in catalog(REFERENCE) and not getattr(exception, "params", {}):
        return key
    return UNEXPECTED


_lock = threading.Lock()
_broker: dramatiq.Broker | None = None


def get_broker() -> dramatiq.Broker:
    """The process's broker, created on first use for the configured settings."""
    global _broker
    with _lock:
        if _broker is None:
            settings = get_settings()
            keys.refuse_unsafe_secret_key(settings)  # also when run as `dramatiq workers.actors`
            broker: dramatiq.Broker
            if settings.redis_url:
                broker = RedisBroker(url=settings.redis_url, namespace="consilio-jobs")
            else:
                broker = StubBroker()
            broker.add_middleware(CurrentMessage())
            broker.add_middleware(FailureRecorder())
            broker.declare_queue(QUEUE)
            dramatiq.set_broker(broker)
            _broker = broker
        return _broker


def enqueue(actor_name: str, *args: Any) -> None:
    """Send a message to an actor by name, without importing the actor module."""
    message: dramatiq.Message[Any] = dramatiq.Message(
        queue_name=QUEUE, actor_name=actor_name, args=args, kwargs={}, options={}
    )
    get_broker().enqueue(message)


def reset_broker() -> None:
    """Forget the broker (tests switch between Redis and in-process setups)."""
    global _broker
    with _lock:
        if _broker is not None:
            _broker.close()
        _broker = None
