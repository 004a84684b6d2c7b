"""Custom domains: a tenant's pages on its own host, only once the host is proven to be its own.

A tenant admin claims a host; the claim waits (``pending``) until either a DNS TXT record
``_consilio-challenge.<host>`` holds ``consilio-verify=<challenge>`` (``verified``) or a super
admin vouches for it (``approved``). Only proven hosts route to the tenant and appear in the
links of its mails; a pending claim never does, so naming someone else's host gains nothing.

The platform's own hosts (the public URL's, the media node's, ``localhost``, anything in
``CONSILIO_PLATFORM_HOSTS``) and IP addresses are never claimable. Their subdomains belong to
the operator: a tenant admin cannot claim one, a super admin may give one to a tenant
(``alpina.consilio.example``) when creating it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import re
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

import dns.exception
import dns.nameserver
import dns.resolver
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import ROUTABLE, DomainStatus, Role, Tenant, TenantDomain
from app.models.base import utcnow
from app.services import audit
from app.services.context import TenantContext, get_scoped, scoped
from app.services.errors import AccessDenied, InvalidInput, NotFound
from app.settings import get_settings

logger = logging.getLogger(__name__)

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CHALLENGE_LABEL = "_consilio-challenge"
CHALLENGE_PREFIX = "consilio-verify="
MAX_DOMAINS = 20


@dataclasses.dataclass(frozen=True)
class ProofRecord:
    """The TXT record an admin creates to prove a host is theirs."""

    name: str
    value: str


def proof_record(claim: TenantDomain) -> ProofRecord:
    """The record that proves ``claim``."""
    return ProofRecord(f"{CHALLENGE_LABEL}.{claim.host}", CHALLENGE_PREFIX + claim.challenge)


def host_of(netloc: str) -> str:
    """The bare host name of a ``Host`` header or URL netloc (no port, lower case)."""
    netloc = netloc.strip().lower().rsplit("@", 1)[-1]
    if netloc.startswith("["):
        return netloc[1 : netloc.find("]")] if "]" in netloc else ""
    return netloc.split(":")[0].rstrip(".")


def platform_hosts() -> frozenset[str]:
    """The hosts the platform itself answers on, from the settings."""
    settings = get_settings()
    hosts = {"localhost", host_of(urlsplit(settings.public_url).netloc)}
    hosts.add(host_of(urlsplit(settings.media_public_url).netloc))
    hosts.update(host_of(h) for h in settings.platform_hosts.replace(",", " ").split())
    return frozenset(h for h in hosts if h)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_platform_host(host: str) -> bool:
    """Whether ``host`` is the platform's own (or an IP address): never a tenant's domain."""
    return _is_ip(host) or host in platform_hosts() or host.endswith(".localhost")


def _under_platform(host: str) -> bool:
    return any(host.endswith("." + parent) for parent in platform_hosts())


def clean_host(raw: str) -> str:
    """A host as typed, normalised (lower case, no trailing dot); InvalidInput if malformed."""
    host = raw.strip().lower().rstrip(".")
    if not DOMAIN_RE.match(host):
        raise InvalidInput("error.domain_invalid", domain=raw.strip()[:80])
    return host


def _check_claimable(host: str, *, by_operator: bool) -> None:
    if is_platform_host(host) or (_under_platform(host) and not by_operator):
        raise InvalidInput("error.domain_platform", domain=host)


def _held_by_other(session: Session, host: str, tenant_id: int) -> bool:
    held = session.exec(
        select(TenantDomain.id).where(
            TenantDomain.host == host,
            col(TenantDomain.status).in_(ROUTABLE),
            TenantDomain.tenant_id != tenant_id,
        )
    ).first()
    return held is not None


def _require_admin(ctx: TenantContext) -> None:
    if ctx.role not in (Role.ADMIN, Role.SUPER_ADMIN):
        raise AccessDenied()


def _require_super_admin(ctx: TenantContext) -> None:
    if ctx.role != Role.SUPER_ADMIN:
        raise AccessDenied()


def _store(session: Session, claim: TenantDomain) -> None:
    """Write ``claim`` now; a host another tenant proved meanwhile is refused by the unique
    index (the caller's unit of work then rolls back, as for any refusal)."""
    host = claim.host
    session.add(claim)
    try:
        session.flush()
    except IntegrityError:
        raise InvalidInput("error.domain_taken", domain=host) from None


# --- the tenant admin ---------------------------------------------------------------------
def list_domains(session: Session, ctx: TenantContext) -> list[TenantDomain]:
    """The caller's tenant's claims, proven or not (tenant admins)."""
    _require_admin(ctx)
    query = scoped(ctx, TenantDomain).order_by(col(TenantDomain.host))
    return list(session.exec(query).all())


def claim_domain(session: Session, ctx: TenantContext, raw_host: str) -> TenantDomain:
    """Ask for a host; it waits for its DNS proof or a super admin's approval.

    Raises:
        InvalidInput: malformed, the platform's, already the caller's, proven by another
            tenant, or too many domains.
    """
    _require_admin(ctx)
    host = clean_host(raw_host)
    _check_claimable(host, by_operator=False)
    own = list_domains(session, ctx)
    if any(claim.host == host for claim in own):
        raise InvalidInput("error.domain_already_added", domain=host)
    if len(own) >= MAX_DOMAINS:
        raise InvalidInput("error.domain_limit", count=MAX_DOMAINS)
    if _held_by_other(session, host, ctx.tenant_id):
        raise InvalidInput("error.domain_taken", domain=host)
    claim = TenantDomain(tenant_id=ctx.tenant_id, host=host, challenge=secrets.token_urlsafe(24))
    _store(session, claim)
    audit.record(
        session, ctx, "tenant.domain_claimed", target_type="domain", target_id=claim.id,
        details={"host": host},
    )  # fmt: skip
    return claim


def verify_domain(session: Session, ctx: TenantContext, domain_id: int | str) -> TenantDomain:
    """Look for the claim's TXT record now; with the right value the host is the tenant's.

    Raises:
        InvalidInput: no record, a wrong value, DNS did not answer in time, or another
            tenant proved the host first. Nothing changes then.
    """
    _require_admin(ctx)
    claim = get_scoped(session, ctx, TenantDomain, domain_id)
    if claim.status != DomainStatus.PENDING:
        return claim
    _check_claimable(claim.host, by_operator=False)
    if _held_by_other(session, claim.host, ctx.tenant_id):
        raise InvalidInput("error.domain_taken", domain=claim.host)
    record = proof_record(claim)
    found = txt_records(record.name)
    if record.value not in (text.strip() for text in found):
        key = "error.domain_record_wrong" if found else "error.domain_record_missing"
        raise InvalidInput(key, name=record.name)
    claim.status, claim.confirmed_at = DomainStatus.VERIFIED.value, utcnow()
    _store(session, claim)
    audit.record(
        session, ctx, "tenant.domain_verified", target_type="domain", target_id=claim.id,
        details={"host": claim.host, "record": record.name},
    )  # fmt: skip
    return claim


def remove_domain(session: Session, ctx: TenantContext, domain_id: int | str) -> TenantDomain:
    """Drop one of the tenant's domains; its pages stop answering on it at once."""
    _require_admin(ctx)
    claim = get_scoped(session, ctx, TenantDomain, domain_id)
    session.delete(claim)
    audit.record(
        session, ctx, "tenant.domain_removed", target_type="domain", target_id=claim.id,
        details={"host": claim.host, "status": claim.status},
    )  # fmt: skip
    return claim


# --- the super admin ----------------------------------------------------------------------
def list_pending(session: Session, ctx: TenantContext) -> list[tuple[TenantDomain, Tenant]]:
    """Claims of every tenant waiting for a proof, oldest first (super admins)."""
    _require_super_admin(ctx)
    rows = session.exec(
        select(TenantDomain, Tenant)
        .join(Tenant, col(Tenant.id) == col(TenantDomain.tenant_id))
        .where(TenantDomain.status == DomainStatus.PENDING.value)
        .order_by(col(TenantDomain.created_at), col(TenantDomain.id))
    ).all()
    return [(claim, tenant) for claim, tenant in rows]


def _pending_claim(session: Session, domain_id: int | str) -> tuple[TenantDomain, Tenant]:
    claim = session.get(TenantDomain, int(domain_id)) if str(domain_id).isdigit() else None
    if claim is None or claim.status != DomainStatus.PENDING:
        raise NotFound()
    tenant = session.get(Tenant, claim.tenant_id)
    assert tenant is not None
    return claim, tenant


def _on_behalf(ctx: TenantContext, tenant: Tenant) -> TenantContext:
    """The super admin acting in ``tenant``: the event lands in that tenant's audit trail."""
    assert tenant.id is not None
    return TenantContext(tenant.id, tenant.slug, ctx.user_id, Role.SUPER_ADMIN, ctx.actor_label)


def approve_domain(session: Session, ctx: TenantContext, domain_id: int | str) -> TenantDomain:
    """Vouch for a pending claim (super admins); the host routes to its tenant at once.

    Raises:
        InvalidInput: the host is the platform's or proven by another tenant.
    """
    _require_super_admin(ctx)
    claim, tenant = _pending_claim(session, domain_id)
    _check_claimable(claim.host, by_operator=True)
    if _held_by_other(session, claim.host, claim.tenant_id):
        raise InvalidInput("error.domain_taken", domain=claim.host)
    claim.status, claim.confirmed_at = DomainStatus.APPROVED.value, utcnow()
    _store(session, claim)
    audit.record(
        session, _on_behalf(ctx, tenant), "tenant.domain_approved", target_type="domain",
        target_id=claim.id, details={"host": claim.host},
    )  # fmt: skip
    return claim


def refuse_domain(session: Session, ctx: TenantContext, domain_id: int | str) -> TenantDomain:
    """Delete a pending claim (super admins); the tenant may claim it again and prove it."""
    _require_super_admin(ctx)
    claim, tenant = _pending_claim(session, domain_id)
    session.delete(claim)
    audit.record(
        session, _on_behalf(ctx, tenant), "tenant.domain_refused", target_type="domain",
        target_id=claim.id, details={"host": claim.host},
    )  # fmt: skip
    return claim


def assign_domains(
    session: Session, ctx: TenantContext, tenant: Tenant, hosts: Iterable[str] | str
) -> list[str]:
    """Give hosts to a tenant the super admin is creating: approved at once (the operator
    vouches), the platform's own hosts excepted; subdomains of them are allowed here.

    Args:
        session: the unit of work.
        ctx: the super admin.
        tenant: the new tenant.
        hosts: host names, or one text of them separated by spaces or commas.

    Returns:
        The hosts assigned, normalised and sorted.
    """
    _require_super_admin(ctx)
    assert tenant.id is not None
    items = hosts.replace(",", " ").split() if isinstance(hosts, str) else hosts
    clean = sorted({clean_host(h) for h in items if h.strip()})
    if len(clean) > MAX_DOMAINS:
        raise InvalidInput("error.domain_limit", count=MAX_DOMAINS)
    for host in clean:
        _check_claimable(host, by_operator=True)
        if _held_by_other(session, host, tenant.id):
            raise InvalidInput("error.domain_taken", domain=host)
        claim = TenantDomain(
            tenant_id=tenant.id,
            host=host,
            challenge=secrets.token_urlsafe(24),
            status=DomainStatus.APPROVED.value,
            confirmed_at=utcnow(),
        )
        _store(session, claim)
    return clean


# --- routing and links --------------------------------------------------------------------
def routable_domains(session: Session, tenant_id: int | None) -> list[str]:
    """The tenant's proven hosts, the first proven first (that one goes into mail links)."""
    hosts = session.exec(
        select(TenantDomain.host)
        .where(TenantDomain.tenant_id == tenant_id, col(TenantDomain.status).in_(ROUTABLE))
        .order_by(col(TenantDomain.confirmed_at), col(TenantDomain.id))
    ).all()
    return [host for host in hosts if not is_platform_host(host)]


def tenant_for_host(session: Session, netloc: str) -> Tenant | None:
    """The active tenant a request's host belongs to, if the host is proven to be its own.

    The platform's own hosts never route to a tenant, whatever the table says (a row from
    before proofs existed must not take the platform's root).
    """
    host = host_of(netloc)
    if not host or is_platform_host(host):
        return None
    return session.exec(
        select(Tenant)
        .join(TenantDomain, col(TenantDomain.tenant_id) == col(Tenant.id))
        .where(
            TenantDomain.host == host,
            col(TenantDomain.status).in_(ROUTABLE),
            col(Tenant.active),
        )
    ).first()


# --- DNS ------------------------------------------------------------------------------------
def _nameserver(entry: str) -> dns.nameserver.Do53Nameserver:
    if entry.startswith("["):
        address, _, port = entry[1:].partition("]:")
    elif entry.count(":") == 1:
        address, _, port = entry.partition(":")
    else:
        address, port = entry, ""
    return dns.nameserver.Do53Nameserver(address, int(port or 53))


def _resolver() -> dns.resolver.Resolver:
    settings = get_settings()
    entries = settings.dns_nameservers.replace(",", " ").split()
    resolver = dns.resolver.Resolver(configure=not entries)
    if entries:
        resolver.nameservers = [_nameserver(entry) for entry in entries]
    resolver.lifetime = resolver.timeout = settings.dns_timeout_seconds
    return resolver


def txt_records(name: str) -> list[str]:
    """The TXT strings of ``name`` (chunks of one record joined); [] when there is none.

    Raises:
        InvalidInput: DNS gave no answer in time or failed (``error.domain_dns_failed``).
    """
    try:
        answer = _resolver().resolve(name, "TXT", raise_on_no_answer=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        logger.info("TXT lookup of %s failed: %r", name, exc)
        raise InvalidInput("error.domain_dns_failed", name=name) from None
    return [
        b"".join(rdata.strings).decode("utf-8", "replace")
        for rdata in answer
        if hasattr(rdata, "strings")
    ]
