"""Custom domains: a host routes to a tenant only once it is proven to be its own.

Proofs are looked up on a real DNS server the tests start on a loopback port.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from app import routes
from app.models import AuditEvent, DomainStatus, Role, Tenant, TenantDomain
from app.services import domains, tenants
from app.services.context import TenantContext
from app.services.db import unit_of_work
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.settings import get_settings
from tests.dns_server import TxtZone, dns_server, silent_dns_server
from tests.factories import TenantWorld, context_of, make_tenant, make_user

PLATFORM = "consilio.example"


@pytest.fixture(autouse=True)
def platform_at_consilio_example(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The platform runs at https://consilio.example (its root serves tenant "alpha")."""
    monkeypatch.setenv("CONSILIO_PUBLIC_URL", f"https://{PLATFORM}")
    monkeypatch.setenv("CONSILIO_PLATFORM_HOSTS", "consilio-media.example")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[TxtZone]:
    """A DNS server the proofs are asked on."""
    with dns_server() as (txt_zone, address):
        monkeypatch.setenv("CONSILIO_DNS_NAMESERVERS", address)
        get_settings.cache_clear()
        yield txt_zone


@pytest.fixture
def operator(db: Session) -> TenantContext:
    """The platform operator's super admin."""
    platform = make_tenant(db, "platform")
    return context_of(platform, make_user(db, platform, "super@consilio.example", Role.SUPER_ADMIN))


def _served(db: Session, host: str) -> str:
    """Slug of the tenant a visitor of ``host`` gets (the root serves alpha)."""
    return tenants.resolve_tenant(db, host=host, default="alpha").slug


def _publish(zone: TxtZone, claim: TenantDomain) -> None:
    record = domains.proof_record(claim)
    zone.records[record.name] = [record.value]


def _refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InvalidInput) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    return refused.value.key


# --- the confirmed attack -------------------------------------------------------------------
def test_second_tenant_cannot_take_the_platforms_host(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    key = _refusal(domains.claim_domain, db, beta.admin_ctx, "consilio.example")
    db.rollback()
    assert key == "error.domain_platform"
    assert _served(db, "consilio.example") == "alpha"


def test_a_platform_host_left_in_the_table_still_never_routes(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    # as the migration would carry over a claim taken before proofs existed
    db.add(TenantDomain(tenant_id=beta.tenant.id, host=PLATFORM, challenge="x", status="approved"))
    db.commit()
    assert _served(db, "consilio.example:443") == "alpha"
    assert domains.routable_domains(db, beta.tenant.id) == []


def test_an_unproven_claim_of_someone_elses_host_never_routes(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.alpha.example")
    db.commit()
    assert claim.status == DomainStatus.PENDING
    assert _served(db, "beratung.alpha.example") == "alpha"
    with pytest.raises(NotFound):
        tenants.resolve_tenant(db, host="beratung.alpha.example")
    assert domains.routable_domains(db, beta.tenant.id) == []
    link = routes.absolute_url("beta", domains.routable_domains(db, beta.tenant.id), "/login")
    assert link == "https://consilio.example/t/beta/login"


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("consilio.example", "error.domain_platform"),
        ("CONSILIO.example.", "error.domain_platform"),
        ("www.consilio.example", "error.domain_platform"),
        ("consilio-media.example", "error.domain_platform"),
        ("turn.consilio-media.example", "error.domain_platform"),
        ("localhost", "error.domain_invalid"),
        ("app.localhost", "error.domain_platform"),
        ("127.0.0.1", "error.domain_invalid"),
        ("::1", "error.domain_invalid"),
        ("beratung alpha.example", "error.domain_invalid"),
    ],
)
def test_the_platforms_own_hosts_and_addresses_are_not_claimable(
    db: Session, alpha: TenantWorld, host: str, key: str
) -> None:
    assert _refusal(domains.claim_domain, db, alpha.admin_ctx, host) == key
    db.rollback()
    assert db.exec(select(TenantDomain)).all() == []


# --- the DNS proof --------------------------------------------------------------------------
def test_the_right_txt_record_proves_the_domain_and_it_routes(
    db: Session, alpha: TenantWorld, beta: TenantWorld, zone: TxtZone
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "Beratung.Beta.Example")
    db.commit()
    record = domains.proof_record(claim)
    assert record.name == "_consilio-challenge.beratung.beta.example"
    assert record.value.startswith("consilio-verify=") and len(record.value) > 40
    _publish(zone, claim)

    domains.verify_domain(db, beta.admin_ctx, claim.id)
    db.commit()
    assert claim.status == DomainStatus.VERIFIED and claim.confirmed_at is not None
    assert _served(db, "beratung.beta.example") == "beta"
    assert _served(db, "BERATUNG.beta.example:443") == "beta"
    assert domains.routable_domains(db, beta.tenant.id) == ["beratung.beta.example"]
    link = routes.absolute_url("beta", domains.routable_domains(db, beta.tenant.id), "/login")
    assert link == "https://beratung.beta.example/login"
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.tenant_id == beta.tenant.id))
    assert {"tenant.domain_claimed", "tenant.domain_verified"} <= set(actions)


def test_a_missing_or_wrong_txt_record_is_refused_and_nothing_changes(
    db: Session, alpha: TenantWorld, beta: TenantWorld, zone: TxtZone
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.beta.example")
    db.commit()
    name = domains.proof_record(claim).name
    assert _refusal(domains.verify_domain, db, beta.admin_ctx, claim.id) == (
        "error.domain_record_missing"
    )
    db.rollback()
    zone.records[name] = ["consilio-verify=somebody-elses-challenge", "v=spf1 -all"]
    assert _refusal(domains.verify_domain, db, beta.admin_ctx, claim.id) == (
        "error.domain_record_wrong"
    )
    db.rollback()
    assert db.get(TenantDomain, claim.id).status == DomainStatus.PENDING
    assert _served(db, "beratung.beta.example") == "alpha"


def test_another_tenants_record_does_not_prove_my_claim(
    db: Session, alpha: TenantWorld, beta: TenantWorld, zone: TxtZone
) -> None:
    owner = domains.claim_domain(db, alpha.admin_ctx, "beratung.alpha.example")
    squatter = domains.claim_domain(db, beta.admin_ctx, "beratung.alpha.example")
    db.commit()
    _publish(zone, owner)
    assert _refusal(domains.verify_domain, db, beta.admin_ctx, squatter.id) == (
        "error.domain_record_wrong"
    )
    db.rollback()
    domains.verify_domain(db, alpha.admin_ctx, owner.id)
    db.commit()
    _publish(zone, squatter)  # even with the right record now, the host is alpha's
    assert _refusal(domains.verify_domain, db, beta.admin_ctx, squatter.id) == "error.domain_taken"
    db.rollback()
    assert tenants.resolve_tenant(db, host="beratung.alpha.example").slug == "alpha"


def test_a_domain_verified_by_one_tenant_cannot_be_claimed_by_another(
    db: Session, alpha: TenantWorld, beta: TenantWorld, zone: TxtZone, operator: TenantContext
) -> None:
    claim = domains.claim_domain(db, alpha.admin_ctx, "beratung.alpha.example")
    db.commit()
    _publish(zone, claim)
    domains.verify_domain(db, alpha.admin_ctx, claim.id)
    db.commit()
    key = _refusal(domains.claim_domain, db, beta.admin_ctx, "beratung.alpha.example")
    db.rollback()
    assert key == "error.domain_taken"
    key = _refusal(
        tenants.create_tenant, db, operator, slug="gamma", name="Gamma",
        domains="beratung.alpha.example",
    )  # fmt: skip
    db.rollback()
    assert key == "error.domain_taken"


def test_two_tenants_proving_one_host_at_once_get_it_once(
    db: Session, alpha: TenantWorld, beta: TenantWorld, zone: TxtZone
) -> None:
    """Both proofs pass their checks; the unique index lets only the first commit win."""
    host = "shared.example"
    first = domains.claim_domain(db, alpha.admin_ctx, host)
    second = domains.claim_domain(db, beta.admin_ctx, host)
    db.commit()
    name = domains.proof_record(first).name
    zone.records[name] = [domains.proof_record(c).value for c in (first, second)]
    outcome: list[str] = []

    first_has_written = threading.Event()

    def prove(ctx: TenantContext, claim_id: int, *, hold_open: bool) -> None:
        try:
            with unit_of_work() as session:
                if not hold_open:  # the second prover writes while the first is uncommitted
                    first_has_written.wait(10)
                domains.verify_domain(session, ctx, claim_id)
                if hold_open:
                    session.flush()
                    first_has_written.set()
                    time.sleep(0.5)  # keeps its transaction open while the other one writes
            outcome.append(ctx.tenant_slug)
        except InvalidInput as exc:
            first_has_written.set()
            outcome.append(exc.key)

    racers = [
        threading.Thread(
            target=prove, args=(alpha.admin_ctx, first.id), kwargs={"hold_open": True}
        ),
        threading.Thread(
            target=prove, args=(beta.admin_ctx, second.id), kwargs={"hold_open": False}
        ),
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(10)
    assert len(outcome) == 2 and "error.domain_taken" in outcome
    winner = next(slug for slug in outcome if slug != "error.domain_taken")
    db.expire_all()
    assert tenants.resolve_tenant(db, host=host).slug == winner


def test_dns_without_an_answer_gives_a_clear_message_in_time(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = domains.claim_domain(db, alpha.admin_ctx, "beratung.alpha.example")
    db.commit()
    with silent_dns_server() as address:
        monkeypatch.setenv("CONSILIO_DNS_NAMESERVERS", address)
        monkeypatch.setenv("CONSILIO_DNS_TIMEOUT_SECONDS", "0.5")
        get_settings.cache_clear()
        started = time.monotonic()
        key = _refusal(domains.verify_domain, db, alpha.admin_ctx, claim.id)
        assert time.monotonic() - started < 3
    db.rollback()
    assert key == "error.domain_dns_failed"
    assert db.get(TenantDomain, claim.id).status == DomainStatus.PENDING


# --- the super admin ------------------------------------------------------------------------
def test_super_admin_approves_a_pending_claim_and_it_is_audited_in_the_tenants_trail(
    db: Session, alpha: TenantWorld, beta: TenantWorld, operator: TenantContext
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.beta.example")
    db.commit()
    pending = domains.list_pending(db, operator)
    assert [(c.host, t.slug) for c, t in pending] == [("beratung.beta.example", "beta")]

    domains.approve_domain(db, operator, claim.id)
    db.commit()
    assert _served(db, "beratung.beta.example") == "beta"
    assert domains.list_pending(db, operator) == []
    event = db.exec(
        select(AuditEvent).where(
            AuditEvent.tenant_id == beta.tenant.id, AuditEvent.action == "tenant.domain_approved"
        )
    ).one()
    assert (event.actor_label, event.details["host"]) == ("super@consilio.example", claim.host)


def test_super_admin_refuses_a_claim_and_it_is_gone(
    db: Session, alpha: TenantWorld, beta: TenantWorld, operator: TenantContext
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.alpha.example")
    db.commit()
    domains.refuse_domain(db, operator, claim.id)
    db.commit()
    assert domains.list_domains(db, beta.admin_ctx) == []
    assert _served(db, "beratung.alpha.example") == "alpha"
    with pytest.raises(NotFound):  # refused already: nothing left to approve
        domains.approve_domain(db, operator, claim.id)


def test_super_admin_cannot_approve_a_host_another_tenant_holds(
    db: Session, alpha: TenantWorld, beta: TenantWorld, operator: TenantContext
) -> None:
    first = domains.claim_domain(db, alpha.admin_ctx, "shared.example")
    second = domains.claim_domain(db, beta.admin_ctx, "shared.example")
    db.commit()
    domains.approve_domain(db, operator, first.id)
    db.commit()
    assert _refusal(domains.approve_domain, db, operator, second.id) == "error.domain_taken"
    db.rollback()
    assert _served(db, "shared.example") == "alpha"


def test_only_super_admins_approve_or_refuse(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.beta.example")
    db.commit()
    for ctx in (beta.admin_ctx, alpha.admin_ctx):
        with pytest.raises(AccessDenied):
            domains.approve_domain(db, ctx, claim.id)
        with pytest.raises(AccessDenied):
            domains.refuse_domain(db, ctx, claim.id)
        with pytest.raises(AccessDenied):
            domains.list_pending(db, ctx)
    with pytest.raises(AccessDenied):
        domains.claim_domain(db, beta.advisor_ctx, "other.beta.example")


def test_new_tenants_domains_from_the_operator_are_approved_but_never_the_platforms_own(
    db: Session, alpha: TenantWorld, operator: TenantContext
) -> None:
    tenant = tenants.create_tenant(
        db, operator, slug="gamma", name="Gamma", domains="gamma.consilio.example, Gamma.Example"
    )
    db.commit()
    assert domains.routable_domains(db, tenant.id) == ["gamma.consilio.example", "gamma.example"]
    assert _served(db, "gamma.consilio.example") == "gamma"
    key = _refusal(
        tenants.create_tenant, db, operator, slug="delta", name="Delta", domains="consilio.example"
    )
    db.rollback()
    assert key == "error.domain_platform"
    assert db.exec(select(Tenant).where(Tenant.slug == "delta")).first() is None


# --- the tenant admin's list ----------------------------------------------------------------
def test_removing_a_domain_stops_it_routing(
    db: Session, alpha: TenantWorld, beta: TenantWorld, operator: TenantContext
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.beta.example")
    db.commit()
    domains.approve_domain(db, operator, claim.id)
    db.commit()
    with pytest.raises(NotFound):  # not alpha's to remove
        domains.remove_domain(db, alpha.admin_ctx, claim.id)
    domains.remove_domain(db, beta.admin_ctx, claim.id)
    db.commit()
    assert _served(db, "beratung.beta.example") == "alpha"


def test_a_suspended_tenants_domain_does_not_route(
    db: Session, alpha: TenantWorld, beta: TenantWorld, operator: TenantContext
) -> None:
    claim = domains.claim_domain(db, beta.admin_ctx, "beratung.beta.example")
    domains.approve_domain(db, operator, claim.id)
    tenants.set_tenant_active(db, operator, beta.tenant.id, False)
    db.commit()
    assert _served(db, "beratung.beta.example") == "alpha"


def test_the_same_host_twice_and_too_many_hosts_are_refused(
    db: Session, alpha: TenantWorld
) -> None:
    domains.claim_domain(db, alpha.admin_ctx, "a0.alpha.example")
    assert _refusal(domains.claim_domain, db, alpha.admin_ctx, "A0.alpha.example") == (
        "error.domain_already_added"
    )
    for n in range(1, domains.MAX_DOMAINS):
        domains.claim_domain(db, alpha.admin_ctx, f"a{n}.alpha.example")
    assert _refusal(domains.claim_domain, db, alpha.admin_ctx, "one-more.alpha.example") == (
        "error.domain_limit"
    )
