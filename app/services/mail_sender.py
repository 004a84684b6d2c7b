"""Whose name a tenant's mail goes out in: the sender address and the domains it may use.

A tenant admin may choose the sender address of the tenant's mails, but only on a domain the
tenant has proven to be its own (``app.services.domains.routable_domains``) or on the
platform's own mail domain (the domain of ``CONSILIO_MAIL_FROM``): otherwise an admin could
send as ``ceo@other-bank.example``. The rule is checked when the admin saves the address and
again for every delivery, so an address stored before the check, or whose domain was removed
since, is never used.
"""

from __future__ import annotations

import email.utils
import logging
import re

from sqlmodel import Session

from app.models import Tenant
from app.services.domains import DOMAIN_RE, routable_domains
from app.services.errors import InvalidInput
from app.settings import get_settings

logger = logging.getLogger(__name__)

MAX_SENDER = 200
_LOCAL_PART = re.compile(r"^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)$")


def _mailbox(raw: str) -> tuple[str, str] | None:
    """``(display name, address)`` of a single mailbox, or None when it is not one."""
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        return None
    found = email.utils.getaddresses([raw])
    if len(found) != 1:
        return None
    name, address = found[0]
    local, _, domain = address.rpartition("@")
    if not _LOCAL_PART.match(local) or not DOMAIN_RE.match(domain.lower()):
        return None
    return name, address


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower().rstrip(".")


def platform_mail_domain() -> str:
    """The domain of the platform's own sender address (``CONSILIO_MAIL_FROM``)."""
    mailbox = _mailbox(get_settings().mail_from)
    return _domain(mailbox[1]) if mailbox else ""


def sender_domains(session: Session, tenant_id: int) -> list[str]:
    """The domains a tenant's sender address may use: its proven ones and the platform's."""
    allowed = [host.lower() for host in routable_domains(session, tenant_id)]
    platform = platform_mail_domain()
    return [*allowed, platform] if platform and platform not in allowed else allowed


def clean_sender(session: Session, tenant_id: int, raw: str) -> str | None:
    """The sender address an admin typed, checked; None when empty (the platform's is used).

    Raises:
        InvalidInput: ``error.email_invalid`` when it is not one mailbox
            (``Name <local@domain>`` or ``local@domain``); ``error.mail_from_domain`` when
            its domain is neither one of the tenant's proven domains nor the platform's.
    """
    value = raw.strip()
    if not value:
        return None
    mailbox = _mailbox(value) if len(value) <= MAX_SENDER else None
    if mailbox is None:
        raise InvalidInput("error.email_invalid", email=value[:80])
    allowed = sender_domains(session, tenant_id)
    if _domain(mailbox[1]) not in allowed:
        raise InvalidInput("error.mail_from_domain", domains=", ".join(allowed))
    return value


def sender_of(session: Session, tenant: Tenant) -> str:
    """The From of the tenant's next mail: its own address while that is still allowed."""
    assert tenant.id is not None
    chosen = tenant.mail_from
    if chosen:
        mailbox = _mailbox(chosen)
        if mailbox is not None and _domain(mailbox[1]) in sender_domains(session, tenant.id):
            return chosen
        logger.warning(
            "tenant %s: sender %r not on its domains, using the platform's", tenant.id, chosen
        )
    return get_settings().mail_from
