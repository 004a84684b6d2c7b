"""Which privacy notice a tenant's meeting guests read and agree to, and how that is recorded.

A guest agrees to a notice before entering a room, so there must be one to read: the tenant's
own (its privacy URL) or, when it has none, the platform's default notice if the tenant's
admins adopted it (shown in place, in the guest's language, naming the tenant as controller).
A tenant with neither opens no meeting to guests: invitations and entry are refused.

A consent records the notice's ``label``: the tenant's URL with its version (counted up each
time the URL changes), or the default notice's version. Change the default text's meaning in
app/i18n and count ``PLATFORM_NOTICE_VERSION`` up with it.
"""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from app.models import Tenant
from app.services.errors import InvalidInput, NotFound

PLATFORM_NOTICE_VERSION = 1
PLATFORM_NOTICE = f"platform-default@v{PLATFORM_NOTICE_VERSION}"


@dataclasses.dataclass(frozen=True)
class PrivacyNotice:
    """The notice guests are shown: the tenant's own (``url``) or the platform's default."""

    url: str  # the tenant's own notice; "" for the platform's default (a page of this app)
    label: str  # what a consent records

    @property
    def is_platform_default(self) -> bool:
        """Whether guests read the platform's default text (the privacy notice page)."""
        return not self.url


def notice_of(tenant: Tenant) -> PrivacyNotice | None:
    """The notice ``tenant``'s guests agree to, or None when it has none (guests kept out)."""
    if tenant.privacy_url:
        return PrivacyNotice(
            url=tenant.privacy_url, label=f"{tenant.privacy_url}@v{tenant.privacy_notice_version}"
        )
    if tenant.privacy_default_notice:
        return PrivacyNotice(url="", label=PLATFORM_NOTICE)
    return None


def require_notice(session: Session, tenant_id: int, key: str) -> PrivacyNotice:
    """The tenant's notice, or InvalidInput(``key``) telling why guests cannot come in.

    Raises:
        NotFound: no such tenant.
        InvalidInput: the tenant has no privacy notice (``key`` says it to the one asking).
    """
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound()
    notice = notice_of(tenant)
    if notice is None:
        raise InvalidInput(key)
    return notice
