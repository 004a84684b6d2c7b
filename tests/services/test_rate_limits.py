"""Rate limits keyed by who asks, shared by every backend worker: the test center, forgotten
passwords, invitation mails; the client's address behind trusted proxies."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session, select

from app.i18n import translate
from app.models import OutboundMail, User
from app.services import rate_limits, test_center, users
from app.services.rate_limits import Memory, Rule, TooManyAttempts
from state import test_center as test_center_page
from state.locale import LocaleState
from state.tenant import TenantState
from tests.factories import TenantWorld
from tests.servers import redis_server

ADDRESS, OTHER = "198.51.100.66", "203.0.113.10"

Configure = Callable[..., None]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


class Browser:
    """A fresh browser on the test center page: what every new socket gets, whatever its
    earlier sockets did. Calls the real handler, guard included."""

    base_vars = {"error": None}
    start = test_center_page.TestCenterState.start.fn
    _set = test_center_page.TestCenterState._set

    def __init__(self, tenant_id: int, address: str) -> None:
        self.error = ""
        self.got_config = False  # a media room and TURN credentials
        self.running = False
        self.rows: list[dict[str, str]] = []
        self.overall = self.report = ""
        self.finished = self.total = 0
        self._checks: tuple[str, ...] = ()
        self._started = 0.0
        self._runs: list[float] = []
        self._results: dict[str, Any] = {}
        self.router = SimpleNamespace(
            headers=SimpleNamespace(cookie=""), session=SimpleNamespace(client_ip=address)
        )
        self._parts: dict[type, Any] = {
            TenantState: SimpleNamespace(_tenant_id_in=lambda _db: tenant_id),
            LocaleState: SimpleNamespace(lang="en"),
        }

    async def get_state(self, cls: type) -> Any:
        return self._parts[cls]


async def _run_test(world: TenantWorld, address: str) -> Browser:
    browser = Browser(world.tenant.id or 0, address)
    spec = await browser.start()  # type: ignore[misc]
    browser.got_config = spec is not None and "turnServers" in str(spec.args)
    return browser


async def test_twenty_fresh_browsers_from_one_address_get_only_the_allowed_runs(
    db: Session, alpha: TenantWorld
) -> None:
    allowed = rate_limits.TEST_RUNS.tiers()[0].amount
    browsers = [await _run_test(alpha, ADDRESS) for _ in range(20)]
    started = [b for b in browsers if b.got_config]
    assert len(started) == allowed
    refused = browsers[allowed:]
    assert all(not b.running for b in refused)
    assert refused[0].error.startswith("You have run the test often in a short time.")
    assert (await _run_test(alpha, OTHER)).got_config


async def test_probe_passes_share_a_platform_quota_across_addresses(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    configure(limit_probe_passes="3/minute")
    browsers = [await _run_test(alpha, f"198.51.100.{n}") for n in range(1, 6)]
    assert [b.got_config for b in browsers] == [True] * 3 + [False] * 2
    busy = browsers[-1]
    assert busy.running  # the devices are still checked
    assert busy.error.startswith("Many people are testing their connection right now")
    direct = next(r for r in busy.rows if r["check"] == "direct")
    assert direct["status"] == "skipped" and direct["advice"] == "test.advice.busy"
    assert busy.overall == "checking"  # the devices still run: no verdict yet


def test_test_runs_are_counted_per_ipv6_network_not_per_address() -> None:
    allowed = rate_limits.TEST_RUNS.tiers()[0].amount
    for n in range(allowed):
        test_center.admit_run(f"2001:db8:1:2::{n + 1}")
    with pytest.raises(TooManyAttempts) as refused:
        test_center.admit_run("2001:db8:1:2:ffff::9")
    assert refused.value.key == "test.too_many_minutes"
    test_center.admit_run("2001:db8:1:3::1")


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_a_rule_counts_waits_and_forgets_alike_in_memory_and_in_redis(
    storage: str, configure: Configure, request: pytest.FixtureRequest
) -> None:
    if storage == "redis":
        configure(redis_url=request.getfixturevalue("redis_url"))
    rule = Rule("test.rule", "limit_test_runs")
    for _ in range(rule.tiers()[0].amount):
        rule.take("someone")
    with pytest.raises(TooManyAttempts) as refused:
        rule.take("someone")
    assert refused.value.key == "error.too_many_attempts_minutes"
    assert 9 * 60 < refused.value.wait_seconds <= 10 * 60
    rule.take("someone else")
    rule.forget("someone")
    rule.take("someone")
    seen = Memory("test.seen", days=30)
    assert not seen.recalls("owner", "address")
    seen.remember("owner", "address")
    assert seen.recalls("owner", "address") and not seen.recalls("owner", "elsewhere")


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_slots_are_taken_under_every_rule_at_once_or_not_at_all_and_given_back_exactly(
    storage: str, configure: Configure, request: pytest.FixtureRequest
) -> None:
    if storage == "redis":
        configure(redis_url=request.getfixturevalue("redis_url"))
    narrow, wide = Rule("test.narrow", "limit_test_runs"), Rule("test.wide", "limit_login_address")
    allowed = narrow.tiers()[0].amount
    both = [(narrow, ("someone",)), (wide, ("everyone",))]
    slots = [rate_limits.take_all(both) for _ in range(allowed)]
    with pytest.raises(TooManyAttempts):
        rate_limits.take_all(both)
    wide_left = wide.tiers()[0].amount - allowed
    for _ in range(wide_left):  # the refusal above counted nothing under the wide rule
        wide.take("everyone")
    with pytest.raises(TooManyAttempts):
        wide.take("everyone")
    slots[0].refund()  # one given back: exactly one more fits
    rate_limits.take_all([(narrow, ("someone",))])
    with pytest.raises(TooManyAttempts):
        narrow.take("someone")


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_parallel_takes_never_admit_more_than_a_tier(
    storage: str, configure: Configure, request: pytest.FixtureRequest
) -> None:
    if storage == "redis":
        configure(redis_url=request.getfixturevalue("redis_url"))
    rule = Rule("test.race", "limit_test_runs")
    allowed = rule.tiers()[0].amount
    start = threading.Barrier(4 * allowed)
    admitted: list[bool] = []

    def take() -> None:
        start.wait(10)
        try:
            rule.take("someone")
            admitted.append(True)
        except TooManyAttempts:
            admitted.append(False)

    threads = [threading.Thread(target=take) for _ in range(4 * allowed)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert admitted.count(True) == allowed and len(admitted) == 4 * allowed


def test_counts_are_shared_by_every_backend_worker_through_redis(
    configure: Configure, redis_url: str
) -> None:
    configure(redis_url=redis_url, limit_test_runs="3/10 minutes")
    for _ in range(3):
        test_center.admit_run(ADDRESS)
    rate_limits.limiter.cache_clear()  # another worker: its own limiter and connections
    with pytest.raises(TooManyAttempts):
        test_center.admit_run(ADDRESS)
    test_center.admit_run(OTHER)


def test_forgotten_password_requests_are_limited_per_address(
    db: Session, alpha: TenantWorld
) -> None:
    allowed = rate_limits.PASSWORD_RESETS_PER_ADDRESS.tiers()[0].amount
    for n in range(allowed):
        users.request_password_reset(db, alpha.tenant, f"p{n}@alpha.example", client=ADDRESS)
    with pytest.raises(TooManyAttempts):
        users.request_password_reset(db, alpha.tenant, "advisor@alpha.example", client=ADDRESS)
    users.request_password_reset(db, alpha.tenant, "advisor@alpha.example", client=OTHER)


def test_nobody_floods_one_mailbox_with_reset_links_from_many_addresses(
    db: Session, alpha: TenantWorld
) -> None:
    allowed = rate_limits.PASSWORD_RESETS_PER_ACCOUNT.tiers()[0].amount
    for n in range(allowed + 5):
        users.request_password_reset(
            db, alpha.tenant, "advisor@alpha.example", client=f"192.0.2.{n + 1}"
        )
        db.commit()
    sent = db.exec(select(OutboundMail).where(OutboundMail.to_address == "advisor@alpha.example"))
    assert len(sent.all()) == allowed


def test_invitation_mails_of_a_tenant_are_limited_and_a_refusal_creates_nobody(
    db: Session, alpha: TenantWorld, beta: TenantWorld, configure: Configure
) -> None:
    configure(limit_invitation_mails="3/hour")
    for n in range(2):
        users.invite_user(
            db, alpha.admin_ctx, email=f"n{n}@alpha.example", display_name="N", role="advisor"
        )
    db.commit()
    invited = db.exec(select(User).where(User.email == "n0@alpha.example")).one()
    users.resend_invitation(db, alpha.admin_ctx, invited.id or 0)
    db.commit()
    with pytest.raises(TooManyAttempts) as refused:
        users.invite_user(
            db, alpha.admin_ctx, email="late@alpha.example", display_name="L", role="advisor"
        )
    db.rollback()
    assert db.exec(select(User).where(User.email == "late@alpha.example")).first() is None
    message = translate("de", refused.value.key, **refused.value.params)
    assert re.fullmatch(
        r"Zu viele Versuche\. Bitte versuchen Sie es in \d+ Minuten erneut\.", message
    )
    users.invite_user(  # another tenant has its own budget
        db, beta.admin_ctx, email="n0@beta.example", display_name="N", role="advisor"
    )


@pytest.mark.parametrize(
    ("hops", "peer", "forwarded", "client"),
    [
        (0, "10.0.0.5", "203.0.113.7", "10.0.0.5"),  # no proxy configured: header ignored
        (1, "10.0.0.5", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # client-written part ignored
        (2, "10.0.0.5", "6.6.6.6, 203.0.113.7, 10.0.0.4", "203.0.113.7"),
        (2, "10.0.0.5", "203.0.113.7", "10.0.0.5"),  # shorter than the proxy chain
    ],
)
def test_the_client_address_is_read_as_reflex_reads_it_behind_trusted_proxies(
    hops: int, peer: str, forwarded: str, client: str, configure: Configure
) -> None:
    configure(trusted_proxy_hops=str(hops))
    assert rate_limits.client_address(peer, forwarded) == client


def test_addresses_are_counted_per_ipv4_address_and_per_ipv6_network() -> None:
    assert rate_limits.address_key(" 192.0.2.1 ") == "192.0.2.1"
    assert rate_limits.address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert rate_limits.address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert rate_limits.address_key("") == rate_limits.address_key("garbage") == "unknown"


def test_a_host_cannot_mail_unlimited_meeting_invitations(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    from app.services import meetings, sessions

    configure(limit_meeting_invitation_mails="2/hour")
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung").room
    db.commit()
    token = sessions.open_session(db, alpha.advisor, second_factor_passed=True)
    host = meetings.authorize_attendee(db, alpha.tenant.id or 0, room, session_token=token)
    for n in range(2):
        meetings.invite(db, host, name=f"Gast {n}", email=f"g{n}@example.org")
    with pytest.raises(TooManyAttempts):
        meetings.invite(db, host, name="Gast 3", email="g3@example.org")
    assert meetings.invite(db, host, name="Ohne Mail")  # a link to copy is not limited


def test_a_stolen_session_cannot_guess_the_password_by_changing_it(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    from app.services.errors import AuthenticationFailed
    from tests.factories import PASSWORD

    configure(limit_login_account_address="3/hour")
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            users.change_password(
                db, alpha.advisor_ctx, current="guess", new="x" * 20, keep_token=""
            )
    with pytest.raises(TooManyAttempts):  # even the right password waits now
        users.change_password(db, alpha.advisor_ctx, current=PASSWORD, new="y" * 20, keep_token="")


def test_a_mistyped_invitation_address_does_not_use_up_a_mail(
    db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    from app.services import meetings, sessions
    from app.services.errors import InvalidInput

    configure(limit_meeting_invitation_mails="1/hour")
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung").room
    db.commit()
    token = sessions.open_session(db, alpha.advisor, second_factor_passed=True)
    host = meetings.authorize_attendee(db, alpha.tenant.id or 0, room, session_token=token)
    with pytest.raises(InvalidInput):
        meetings.invite(db, host, name="Gast", email="not-an-address")
    assert meetings.invite(db, host, name="Gast", email="gast@example.org")


def _wrong(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize("change", ["begin_enrolment", "disable"])
def test_a_stolen_session_with_the_password_cannot_grind_codes_to_change_2fa(
    change: str, db: Session, alpha: TenantWorld, configure: Configure
) -> None:
    import datetime as dt

    import pyotp

    from app.models.base import utcnow
    from app.services import totp
    from app.services.errors import AuthenticationFailed
    from tests.factories import PASSWORD

    enrolment = totp.begin_enrolment(db, alpha.advisor_ctx, password=PASSWORD)
    secret = enrolment.secret
    now = pyotp.TOTP(secret).now()
    totp.confirm_enrolment(db, alpha.advisor_ctx, secret=secret, code=now, keep_token="")
    db.commit()
    configure(limit_login_account_address="3/hour")
    code = pyotp.TOTP(secret).at(utcnow() + dt.timedelta(seconds=30))
    act = getattr(totp, change)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed) as wrong:
            act(db, alpha.advisor_ctx, password=PASSWORD, code=_wrong(code))
        assert wrong.value.key == "error.code_invalid"
    with pytest.raises(TooManyAttempts) as refused:  # even the right code waits now
        act(db, alpha.advisor_ctx, password=PASSWORD, code=code)
    assert refused.value.key == "error.too_many_attempts_minutes"
