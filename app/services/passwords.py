"""Password hashing (argon2id with OWASP parameters) and the tenant's password policy."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from app.services import rate_limits
from app.services.errors import AuthenticationFailed, InvalidInput
from app.settings import get_settings

MAX_PASSWORD_LENGTH = 256
T = TypeVar("T")


HASHING_NICENESS = 10  # below everything else of the process when the cores are busy


def lower_priority() -> None:
    """Run the calling thread below the rest of the process (the event loop serving every
    browser) when the cores are busy; for threads that check passwords."""
    with contextlib.suppress(AttributeError, OSError):  # Linux: a thread is a task of its own
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


@functools.cache
def _hashing_threads() -> ThreadPoolExecutor:
    """The threads that run argon2 in this process: few, and at a lower priority.

    argon2 is meant to be slow and releases the GIL; run unbounded, a wave of sign-ins would
    take every core and starve the event loop that serves everyone else's clicks. So hashing
    gets one core less than the machine has and yields to the loop when cores are scarce.
    Callers run in worker threads and wait here, never on the loop.
    """
    return ThreadPoolExecutor(
        hashing_threads(), thread_name_prefix="argon2", initializer=lower_priority
    )


def hashing_threads() -> int:
    """How many passwords this process checks at once: one core less than the machine has
    (at least one), unless CONSILIO_PASSWORD_HASH_THREADS says otherwise."""
    return get_settings().password_hash_threads or max(1, (os.cpu_count() or 2) - 1)


def _hashing(work: Callable[[], T]) -> T:
    return _hashing_threads().submit(work).result()


@functools.cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
    )


def hasher() -> PasswordHasher:
    """The hasher for the configured parameters."""
    s = get_settings()
    return _hasher(s.argon2_time_cost, s.argon2_memory_kib, s.argon2_parallelism)


def hash_password(password: str) -> str:
    """Hash a password for storage (blocking: call from a worker thread)."""
    return _hashing(lambda: hasher().hash(password))


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    """Check ``password`` against ``stored_hash``.

    Returns:
        (matches, needs_rehash). Without a stored hash a dummy hash is verified so that
        unknown accounts take as long as known ones.
    """
    ph = hasher()
    if not stored_hash:
        _dummy_verify(password)
        return False, False
    try:
        _hashing(lambda: ph.verify(stored_hash, password))
    except (VerificationError, InvalidHashError):
        return False, False
    return True, ph.check_needs_rehash(stored_hash)


@functools.cache
def _dummy_hash() -> str:
    return hasher().hash("consilio-dummy-password")


def _dummy_verify(password: str) -> None:
    dummy = _dummy_hash()
    with contextlib.suppress(VerificationError):
        _hashing(lambda: hasher().verify(dummy, password))


def check_policy(password: str, min_length: int) -> None:
    """Raise InvalidInput unless ``password`` satisfies the tenant's policy.

    The policy follows NIST 800-63B: length matters, composition rules do not; the password
    must not be blank or absurdly long.
    """
    if len(password) < min_length:
        raise InvalidInput("error.password_too_short", min_length=min_length)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("error.password_too_long", max_length=MAX_PASSWORD_LENGTH)
    if not password.strip():
        raise InvalidInput("error.password_blank")
    if len(set(password)) < 3:
        raise InvalidInput("error.password_too_simple")


@contextlib.contextmanager
def reauthenticating(user_id: int) -> Iterator[None]:
    """Hold a signed-in user's re-authentication (their password, and their current code
    where asked) to the count of failed ones: the block runs only with a slot taken
    beforehand, so parallel requests get no more checks than the limit; the slot is given
    back unless the block fails to authenticate.

    Raises:
        TooManyAttempts: too many failed re-authentications lately (before the block runs).
    """
    slot = rate_limits.REAUTH_FAILURES.take(str(user_id))
    try:
        yield
    except AuthenticationFailed:
        raise  # a wrong password or code: stays counted
    except BaseException:
        slot.refund()
        raise
    slot.refund()


def check_current(stored_hash: str | None, password: str) -> None:
    """Raise unless ``password`` is the user's (uncounted: call inside
    :func:`reauthenticating`).

    Raises:
        AuthenticationFailed: ``error.reauth_failed``.
    """
    if not verify_password(stored_hash, password)[0]:
        raise AuthenticationFailed("error.reauth_failed")


def confirm_current(user_id: int, stored_hash: str | None, password: str) -> None:
    """A signed-in user proves it is them by their password again (before changing it).
    Failures are counted per user (see :func:`reauthenticating`).

    Raises:
        TooManyAttempts: too many wrong passwords lately (with the time to wait).
        AuthenticationFailed: ``error.reauth_failed``.
    """
    with reauthenticating(user_id):
        check_current(stored_hash, password)
