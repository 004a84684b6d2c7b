"""All tables, re-exported so `from app.models import User` works and metadata is complete."""

from app.models.asset import AssetKind, TenantAsset
from app.models.audit import AuditChainHead, AuditEvent
from app.models.auth import ActionToken, TokenPurpose, UserSession
from app.models.domain import ROUTABLE, DomainStatus, TenantDomain
from app.models.job import JobFailure
from app.models.mail import MailStatus, MailTemplate, OutboundMail
from app.models.meeting import (
    ChatMessage,
    Meeting,
    MeetingFeedback,
    MeetingFile,
    MeetingParticipant,
    MeetingRole,
)
from app.models.tenant import BUILT_MODULES, LANGUAGES, MODULES, Tenant
from app.models.user import Role, Team, User, UserStatus

__all__ = [
    "BUILT_MODULES",
    "LANGUAGES",
    "MODULES",
    "ROUTABLE",
    "ActionToken",
    "AssetKind",
    "AuditChainHead",
    "AuditEvent",
    "ChatMessage",
    "DomainStatus",
    "JobFailure",
    "MailStatus",
    "MailTemplate",
    "Meeting",
    "MeetingFeedback",
    "MeetingFile",
    "MeetingParticipant",
    "MeetingRole",
    "OutboundMail",
    "Role",
    "Team",
    "Tenant",
    "TenantAsset",
    "TenantDomain",
    "TokenPurpose",
    "User",
    "UserSession",
    "UserStatus",
]
