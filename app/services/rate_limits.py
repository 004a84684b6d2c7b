"""How often an address, an account or a tenant may do something, shared by every backend.

Counts live in Redis when CONSILIO_REDIS_URL is set, so every backend worker sees the same
numbers (a browser's state moves between workers, and an attacker opens as many sockets as
they like); without Redis, in this process's memory (the single-process dev mode). They are
kept in moving windows (app/services/rate_counts.py): a refused event is not counted, and
the wait is until enough counted events have left their window.

Each rule's tiers come from a setting in the ``limits`` notation, e.g. ``5/minute;20/hour``:
a short tier answers bursts, a long one stops slow, patient attempts. Addresses are the
client's as the door computed it: Reflex's ``client_ip`` for handlers, :func:`client_address`
for HTTP routes, both honouring CONSILIO_TRUSTED_PROXY_HOPS. Storage keys are hashes, so
Redis holds no email or address in clear.

Something slow that may fail (checking a password) takes its slot *before* the work, under
every rule at once (:func:`take_all`), and gives it back when it turned out fine
(:meth:`Slot.refund`): concurrent attempts on several workers can never run more checks
than a tier allows, and only failures stay counted.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import ipaddress
import math
import secrets
import time
from collections.abc import Sequence

from limits import RateLimitItem, parse_many

from app.services.errors import DomainError
from app.services.rate_counts import Counts, MemoryCounts, RedisCounts, Window
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
def limiter() -> Counts:
    """The process's store of counts, in Redis when configured (tests clear the cache
    between runs)."""
    url = get_settings().redis_url
    return RedisCounts(url) if url else MemoryCounts()


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

    def windows(self, *who: str) -> list[Window]:
        """Where ``who``'s counts under this rule are kept, one window per tier."""
        key = _key(who)
        return [
            Window(f"{self.name}:{tier.get_expiry()}:{key}", tier.get_expiry(), tier.amount)
            for tier in self.tiers()
        ]

    def wait_seconds(self, *who: str) -> float:
        """How long ``who`` must wait before the next event is admitted (0: admitted now)."""
        return limiter().wait(self.windows(*who), time.time())

    def take(self, *who: str, cost: int = 1) -> Slot:
        """Admit ``cost`` events for ``who`` and count them, or refuse and count nothing.

        Returns:
            The slot taken, to give back if the event turns out not to count.

        Raises:
            TooManyAttempts: a tier has less than ``cost`` left.
        """
        return take_all([(self, who)], cost=cost)

    def count(self, *who: str) -> None:
        """Count one more event for ``who`` in every tier, admitted or not (e.g. the extra
        cost of a preview stopped as too expensive); a full tier stays full."""
        limiter().add(self.windows(*who), time.time(), secrets.token_hex(8))

    def forget(self, *who: str) -> None:
        """Drop ``who``'s counts (e.g. an address's failures after it signed in)."""
        limiter().clear(self.windows(*who))


@dataclasses.dataclass(frozen=True)
class Slot:
    """Events admitted and counted by :func:`take_all`, which can be given back."""

    windows: tuple[Window, ...]
    entry: str
    cost: int

    def refund(self) -> None:
        """Uncount them (the attempt succeeded, so it is no failure to remember)."""
        limiter().remove(self.windows, self.entry, self.cost)


Held = tuple[Rule, tuple[str, ...]]


def take_all(held: Sequence[Held], *, cost: int = 1) -> Slot:
    """Admit ``cost`` events under every ``(rule, who)`` at once and count them in each, or
    refuse and count nothing anywhere: one atomic step, whichever worker asks.

    Raises:
        TooManyAttempts: some tier has less than ``cost`` left; the message is the first
            rule's and the wait the longest of all.
    """
    windows = tuple(w for rule, who in held for w in rule.windows(*who))
    entry = secrets.token_hex(8)
    wait = limiter().admit(windows, time.time(), entry, cost)
    if wait > 0:
        raise TooManyAttempts(held[0][0].message if held else "error.too_many_attempts", wait)
    return Slot(windows, entry, cost)


@dataclasses.dataclass(frozen=True)
class Memory:
    """Whether something happened for ``who`` recently (e.g. this account signed in from this
    address), kept in the same storage as the counts."""

    name: str
    days: int

    def _windows(self, *who: str) -> list[Window]:
        return [Window(f"{self.name}:{_key(who)}", self.days * 86400.0, 1)]

    def remember(self, *who: str) -> None:
        """Note it now (the memory lasts ``days`` from now)."""
        limiter().clear(self._windows(*who))
        limiter().add(self._windows(*who), time.time(), secrets.token_hex(8))

    def recalls(self, *who: str) -> bool:
        """Whether it was noted during the last ``days``."""
        return limiter().wait(self._windows(*who), time.time()) > 0


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
# A signed-in user confirming their password (change it, set up or turn off 2FA) and, with
# 2FA on, their current code: the same tiers as sign-in failures, so a stolen session cannot
# guess the password or grind codes through them.
REAUTH_FAILURES = Rule("reauth.user", "limit_login_account_address")
# Forgotten passwords: per address across accounts and per account and address (both refuse,
# saying so), and per account from everywhere, far above what one address reaches: past it
# no more mails go out, and the answer stays the same (it never tells whether the account
# exists). Addresses the account signed in from lately are exempt from the account-wide cap.
PASSWORD_RESETS_PER_ADDRESS = Rule("reset.address", "limit_password_reset")
PASSWORD_RESETS_PER_ACCOUNT_ADDRESS = Rule(
    "reset.account_address", "limit_password_reset_account_address"
)
PASSWORD_RESETS_PER_ACCOUNT = Rule("reset.account", "limit_password_reset_account")
INVITATION_MAILS = Rule("invitation.tenant", "limit_invitation_mails")
MEETING_INVITATION_MAILS = Rule("meeting_invitation.host", "limit_meeting_invitation_mails")
TEST_RUNS = Rule("test.address", "limit_test_runs", message="test.too_many")
PROBE_PASSES = Rule("test.probe", "limit_probe_passes", message="test.busy")
# Tenant admins' mail template previews and saves: each renders untrusted code in a sandbox
# child, so one tenant cannot keep the render children busy for everyone.
TEMPLATE_PREVIEWS = Rule(
    "template_preview.tenant", "limit_template_previews", message="error.template_previews"
)
