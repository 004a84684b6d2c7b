"""A tenant's meeting settings: chat file limits, camera/microphone default, lobby, feedback,
and whether guests read the platform's default privacy notice (app/services/privacy_notice.py).
"""

from __future__ import annotations

import dataclasses

from sqlmodel import Session

from app.models import Tenant
from app.services import audit
from app.services.context import TenantContext
from app.services.errors import InvalidInput
from app.services.meeting_chat import CONTENT_TYPES
from app.services.tenants import check_url, get_tenant, require_tenant_admin

FILE_TYPES = tuple(CONTENT_TYPES)
MAX_FILE_MB = 25  # files reach the browser through the event socket


@dataclasses.dataclass(frozen=True)
class MeetingSettings:
    """What an admin decides for the tenant's meetings."""

    file_max_mb: int
    file_types: list[str]
    media_on: bool
    feedback_text: str
    feedback_url: str
    lobby: bool = False
    default_notice: bool = False  # guests read the platform's notice while there is no own one


def get_meeting_settings(session: Session, ctx: TenantContext) -> MeetingSettings:
    """The tenant's current meeting settings (admins)."""
    require_tenant_admin(ctx)
    tenant = get_tenant(session, ctx)
    return MeetingSettings(
        tenant.meeting_file_max_mb,
        list(tenant.meeting_file_types),
        tenant.meeting_media_on,
        tenant.meeting_feedback_text or "",
        tenant.meeting_feedback_url or "",
        tenant.meeting_lobby,
        tenant.privacy_default_notice,
    )


def update_meeting_settings(
    session: Session, ctx: TenantContext, settings: MeetingSettings
) -> Tenant:
    """Validate and store the settings; audited with what changed.

    Raises:
        InvalidInput: size outside 1..100 MB, no or unknown file type, text too long, bad URL.
    """
    require_tenant_admin(ctx)
    if not 1 <= settings.file_max_mb <= MAX_FILE_MB:
        raise InvalidInput("meeting_settings.size_range", limit=MAX_FILE_MB)
    types = [t for t in FILE_TYPES if t in set(settings.file_types)]
    if not types or set(settings.file_types) - set(FILE_TYPES):
        raise InvalidInput("meeting_settings.types_required")
    text = settings.feedback_text.strip()
    if len(text) > 500:
        raise InvalidInput("meeting_settings.text_too_long", limit=500)
    url = check_url(settings.feedback_url)
    tenant = get_tenant(session, ctx)
    new = {
        "meeting_file_max_mb": settings.file_max_mb,
        "meeting_file_types": types,
        "meeting_media_on": settings.media_on,
        "meeting_feedback_text": text or None,
        "meeting_feedback_url": url,
        "meeting_lobby": settings.lobby,
        "privacy_default_notice": settings.default_notice,
    }
    changed = {k: {"from": getattr(tenant, k), "to": v} for k, v in new.items()}
    changed = {k: v for k, v in changed.items() if v["from"] != v["to"]}
    for key, value in new.items():
        setattr(tenant, key, value)
    session.add(tenant)
    if changed:
        audit.record(
            session, ctx, "tenant.meeting_settings_changed", target_type="tenant",
            target_id=tenant.id, details=changed,
        )  # fmt: skip
    return tenant
