"""Who may send a file to which upload handler, and how large: decided before a byte is read.

Reflex's upload endpoint (``POST /_upload``) names the state handler in the
``Reflex-Event-Handler`` header and the browser tab in ``Reflex-Client-Token``, then spools
the whole multipart body to temporary files before the handler runs (and only the handler
checks who is asking). This gate, run by :class:`app.api.middleware_bodies.BodyLimits`, admits
an upload only for a handler listed in :func:`upload_rules` (a test keeps the list complete),
only up to that handler's size, and only from:

* ``admins``: a signed-in tenant admin (the HttpOnly session cookie, second factor passed);
* ``room``: a participant of the meeting room this browser tab is in, by the same credential
  the room's handlers check (the tab's personal link secret, or the host's session cookie),
  read from the tab's backend-only state. Guests have no session, only their personal link.

The handlers still check everything themselves; this only keeps strangers from making the
server read and store large bodies.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging

from reflex.istate.manager import get_state_manager
from reflex.istate.manager.token import BaseStateToken
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from app.api.middleware_bodies import Admission
from app.models import AssetKind
from app.services import brand_assets, guard, meetings, sessions
from app.services.db import unit_of_work
from app.services.errors import DomainError
from app.services.meeting_chat import SNAPSHOT_LIMIT
from app.services.meeting_settings import MAX_FILE_MB

logger = logging.getLogger(__name__)

UPLOAD_PATH = "/_upload"
# Multipart framing around the file (boundaries, part headers, a long file name); a file a
# little over its limit still reaches the handler, which answers in the user's language.
FRAMING = 64 * 1024


class Uploader(enum.Enum):
    """Who may send to a handler."""

    ADMINS = "admins"
    ROOM = "room"


@dataclasses.dataclass(frozen=True)
class UploadRule:
    """One upload handler's largest body and who may call it."""

    max_file: int
    uploader: Uploader

    @property
    def limit(self) -> int:
        """Bytes of the whole request body."""
        return self.max_file + FRAMING


def handler_name(state: type, method: str) -> str:
    """The name the browser sends in ``Reflex-Event-Handler`` for ``state.method``."""
    if not callable(getattr(state, method, None)):
        raise AttributeError(f"{state.__name__} has no handler {method}")
    return f"{state.get_full_name()}.{method}"  # type: ignore[attr-defined]


@functools.cache
def upload_rules() -> dict[str, UploadRule]:
    """Every upload handler of the app with its rule (built once the states are importable)."""
    from state.admin_branding import BrandingState
    from state.admin_users import MAX_CSV_BYTES, AdminUsersState
    from state.meeting_chat import MeetingChatState

    logo = brand_assets.LIMITS[AssetKind.LOGO].max_bytes
    favicon = brand_assets.LIMITS[AssetKind.FAVICON].max_bytes
    return {
        handler_name(BrandingState, "upload_logo"): UploadRule(logo, Uploader.ADMINS),
        handler_name(BrandingState, "upload_favicon"): UploadRule(favicon, Uploader.ADMINS),
        handler_name(AdminUsersState, "import_csv"): UploadRule(MAX_CSV_BYTES, Uploader.ADMINS),
        handler_name(MeetingChatState, "share_files"): UploadRule(
            MAX_FILE_MB * 1024 * 1024, Uploader.ROOM
        ),
        handler_name(MeetingChatState, "store_snapshot"): UploadRule(SNAPSHOT_LIMIT, Uploader.ROOM),
    }


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def admin_admits(tenant_id: int, session_token: str) -> bool:
    """Whether the session is an admin's of the tab's tenant, as the upload handler's own
    guard will require (the same check: ``guard.authorize``)."""
    if not tenant_id or not session_token:
        return False
    with unit_of_work() as db:
        try:
            guard.authorize(db, session_token, tenant_id=tenant_id, roles=guard.ADMINS)
        except DomainError:
            return False
    return True


async def _room_credential(client_token: str) -> tuple[int, str, str]:
    """(tenant id, room, personal link secret) of the tab of ``client_token``."""
    from state.meeting_access import RoomAccessState
    from state.tenant import TenantState

    root = await get_state_manager().get_state(
        BaseStateToken(ident=client_token, cls=RoomAccessState)
    )
    access = await root.get_state(RoomAccessState)
    tenant = await root.get_state(TenantState)
    return tenant._tenant_id, access._room, access._link


def room_admits(tenant_id: int, room: str, link: str, session_token: str) -> bool:
    """Whether the personal link (or else the host's session) lets its holder into ``room``."""
    if not tenant_id or not room or not (link or session_token):
        return False
    with unit_of_work() as db:
        try:
            meetings.authorize_attendee(
                db,
                tenant_id,
                room,
                link_secret=link,
                session_token="" if link else session_token,
            )
        except DomainError:
            return False
    return True


async def _may_upload(rule: UploadRule, scope: Scope) -> bool:
    session_token = sessions.token_from_cookie_header(_header(scope, b"cookie"))
    client_token = _header(scope, b"reflex-client-token")
    if not client_token or len(client_token) > 100:
        return False
    try:
        tenant_id, room, link = await _room_credential(client_token)
    except Exception:
        logger.exception("could not read the credential of an upload")
        return False
    if rule.uploader is Uploader.ADMINS:
        return await run_in_threadpool(admin_admits, tenant_id, session_token)
    return await run_in_threadpool(room_admits, tenant_id, room, link, session_token)


async def admit_upload(scope: Scope, length: int | None) -> Admission:
    """The gate of ``POST /_upload`` (see the module docstring)."""
    if scope["method"] != "POST":
        return Admission(limit=0)
    handler = _header(scope, b"reflex-event-handler")
    rule = upload_rules().get(handler)
    if rule is None:
        logger.warning("refused an upload to a handler without an upload rule: %.120s", handler)
        return Admission(limit=0, refusal=403, reason="no uploads to this handler")
    if length is not None and length > rule.limit:
        return Admission(limit=rule.limit, refusal=413, reason="request body too large")
    if not await _may_upload(rule, scope):
        return Admission(limit=rule.limit, refusal=403, reason="please sign in")
    return Admission(limit=rule.limit)
