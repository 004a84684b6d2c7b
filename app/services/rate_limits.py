"""How often an address, an account or a tenant may do something, shared by every backend.

Counts live in Redis when CONSILIO_REDIS_URL is set, so every backend worker sees the same
numbers (a browser's state moves between workers, and an attacker opens as many sockets as
they like); without Redis, in this process's memory (the single-process dev mode). The
``limits`` library keeps them in moving windows: a refused event is not counted, and the
wait is until the oldest counted event leaves its window.

Each rule's tiers come from a setting in the ``limits`` notation, e.g. ``5/minute;20/hour``:
a short tier answers bursts, a long one stops slow, patient attempts. Addresses are the
client's as the door computed it: Reflex's ``client_ip`` for handlers, :func:`client_address`
for HTTP routes, both honouring CONSILIO_TRUSTED_PROXY_HOPS. Storage keys are hashes, so
Redis holds no email or address in clear.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import ipaddress
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.services.errors import DomainError
from app.settings import get_settings

UNKNOWN_ADDRESS = "unknown"
IPV6_NETWORK_BITS = 64  # one subscriber usually holds a whole /64


class TooManyAttempts(DomainError):
    """Refused for now; the message says how long to wait (seconds, or minutes from 2 on)."""

    key = "error.too_many_attempts_seconds"

    def __init__(self, message: str, wait_seconds: float) -> None:
        seconds = max(5, math.ceil(wait_seconds / 5) * 5)  # never "1 seconds", never too early
        if seconds < 120:
            super().__init__(f"{message}_seconds", seconds=seconds)
        else:
            super().__init__(f"{message}_minutes", minutes=math.ceil(seconds / 60))
        self.wait_seconds = wait_seconds


@functools.cache
def limiter() -> MovingWindowRateLimiter:
    """The process's limiter, on Redis when configured (tests clear the cache between runs)."""
    url = get_settings().redis_url
    storage = storage_from_string(url, key_prefix="consilio-limits") if url else MemoryStorage()
    return MovingWindowRateLimiter(storage)


@functools.cache
def _tiers(notation: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(notation))


def _key(who: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(who).encode()).hexdigest()[:40]


@dataclasses.dataclass(frozen=True)
class Rule:
    """One kind of counted event: its name, the setting holding its tiers, and the message
    (a key prefix, ``_seconds``/``_minutes`` is added) its refusal shows.

    ``who`` below is what the count is kept per: an address (see :func:`address_key`), an
    account, a tenant, or several of them together.
    """

    name: str
    setting: str
    message: str = "error.too_many_attempts"

    def tiers(self) -> tuple[RateLimitItem, ...]:
        """The windows of this rule, from its setting."""
        return _tiers(str(getattr(get_settings(), self.setting)))

    def wait_seconds(self, *who: str) -> float:
        """How long ``who`` must wait before the next event is admitted (0: admitted now)."""
        key, now, wait = _key(who), time.time(), 0.0
        for tier in self.tiers():
            stats = limiter().get_window_stats(tier, self.name, key)
            if stats.remaining <= 0:
                wait = max(wait, stats.reset_time - now, 1.0)
        return wait

    def check(self, *who: str) -> None:
        """Refuse when any tier is used up for ``who``; counts nothing.

        Raises:
            TooManyAttempts: with the time to wait.
        """
        wait = self.wait_seconds(*who)
        if wait > 0:
            raise TooManyAttempts(self.message, wait)

    def count(self, *who: str) -> None:
        """Count one event (e.g. a failed sign-in) in every tier; a full tier stays full."""
        key = _key(who)
        for tier in self.tiers():
            limiter().hit(tier, self.name, key)

    def take(self, *who: str, cost: int = 1) -> None:
        """Admit ``cost`` events for ``who`` and count them, or refuse and count nothing.

        Raises:
            TooManyAttempts: a tier has less than ``cost`` left.
        """
        key = _key(who)
        tiers = self.tiers()
        if any(
            cost > tier.amount or not limiter().test(tier, self.name, key, cost=cost)
            for tier in tiers
        ):
            raise TooManyAttempts(self.message, max(self.wait_seconds(*who), 1.0))
        for tier in tiers:
            if not limiter().hit(tier, self.name, key, cost=cost):  # another worker was faster
                raise TooManyAttempts(self.message, max(self.wait_seconds(*who), 1.0))

    def forget(self, *who: str) -> None:
        """Drop ``who``'s counts (e.g. an address's failures after it signed in)."""
        key = _key(who)
        for tier in self.tiers():
            limiter().clear(tier, self.name, key)


@dataclasses.dataclass(frozen=True)
class Memory:
    """Whether something happened for ``who`` recently (e.g. this account signed in from this
    address), kept in the same storage as the counts."""

    name: str
    days: int

    def _item(self) -> RateLimitItem:
        return _tiers(f"1/{self.days} days")[0]

    def remember(self, *who: str) -> None:
        """Note it now (the memory lasts ``days`` from now)."""
        key = _key(who)
        limiter().clear(self._item(), self.name, key)
        limiter().hit(self._item(), self.name, key)

    def recalls(self, *who: str) -> bool:
        """Whether it was noted during the last ``days``."""
        return not limiter().test(self._item(), self.name, _key(who))


def address_key(address: str) -> str:
    """What an address is counted as: IPv4 as is, IPv6 by its /64 network, else "unknown"."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return UNKNOWN_ADDRESS
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_NETWORK_BITS), strict=False))
    return str(ip)


def client_address(peer: str, forwarded_for: str = "") -> str:
    """The client's address for an HTTP request, by the same rule Reflex applies to its event
    socket: with CONSILIO_TRUSTED_PROXY_HOPS = n > 0, the n-th address from the end of
    X-Forwarded-For (each trusted proxy appends the address it saw); otherwise, or when the
    header is shorter than that, the connection's peer. The header is never trusted beyond
    the configured proxies, since anything before them is written by the client.
    """
    hops = get_settings().trusted_proxy_hops
    if hops:
        forwarded = [part.strip() for part in forwarded_for.split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return peer


# The rules of the platform: one per kind of event, tiers from the settings.
LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = Rule("login.account_address", "limit_login_account_address")
LOGIN_FAILURES_PER_ACCOUNT = Rule("login.account", "limit_login_account")
LOGIN_FAILURES_PER_ADDRESS = Rule("login.address", "limit_login_address")
SIGNED_IN_FROM = Memory("login.known_address", days=30)
# A signed-in user confirming their password (change it, set up or turn off 2FA): the same
# tiers as sign-in failures, so a stolen session cannot guess the password through them.
REAUTH_FAILURES = Rule("reauth.user", "limit_login_account_address")
PASSWORD_RESETS_PER_ADDRESS = Rule("reset.address", "limit_password_reset")
PASSWORD_RESETS_PER_ACCOUNT = Rule("reset.account", "limit_password_reset")
INVITATION_MAILS = Rule("invitation.tenant", "limit_invitation_mails")
MEETING_INVITATION_MAILS = Rule("meeting_invitation.host", "limit_meeting_invitation_mails")
TEST_RUNS = Rule("test.address", "limit_test_runs", message="test.too_many")
PROBE_PASSES = Rule("test.probe", "limit_probe_passes", message="test.busy")
# Tenant admins' mail template previews and saves: each renders untrusted code in a sandbox
# child, so one tenant cannot keep the render children busy for everyone.
TEMPLATE_PREVIEWS = Rule(
    "template_preview.tenant", "limit_template_previews", message="error.template_previews"
)
