"""Meetings: a video room, who was let into it, and what they shared in its chat."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, optional_time_field


class MeetingRole(enum.StrEnum):
    """A participant's rights in the room (the advisor hosting it moderates)."""

    MODERATOR = "moderator"
    PARTICIPANT = "participant"


class Meeting(SQLModel, table=True):
    """One video meeting of a tenant; ``room`` names it on the media nodes and in links."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    room: str = Field(index=True, unique=True, max_length=32)
    title: str = Field(max_length=200)
    host_id: int = Field(foreign_key="app_user.id", index=True)
    locked: bool = Field(default=False)
    presenter_key: str | None = Field(default=None, max_length=32)
    created_at: dt.datetime = created_at_field()
    ended_at: dt.datetime | None = optional_time_field()


class MeetingParticipant(SQLModel, table=True):
    """Someone let into a meeting: the host, or a guest with a personal link.

    ``key`` is the participant's public id (on the media node, in room events); the personal
    link carries a secret of which only the hash is stored.
    """

    __tablename__ = "meeting_participant"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    key: str = Field(index=True, unique=True, max_length=32)
    link_hash: str | None = Field(default=None, index=True, unique=True, max_length=64)
    name: str = Field(default="", max_length=80)
    email: str | None = Field(default=None, max_length=254)
    role: str = Field(default=MeetingRole.PARTICIPANT, max_length=16)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    consent_at: dt.datetime | None = optional_time_field()
    # Which privacy notice the participant agreed to (see app/services/privacy_notice.py).
    consent_notice: str | None = Field(default=None, max_length=600)
    admitted_at: dt.datetime | None = optional_time_field()  # let in (at once, or from the lobby)
    online: bool = Field(default=False)
    hand_raised: bool = Field(default=False)
    created_at: dt.datetime = created_at_field()
    removed_at: dt.datetime | None = optional_time_field()


class MeetingFile(SQLModel, table=True):
    """A file shared in a meeting's chat, encrypted at rest."""

    __tablename__ = "meeting_file"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_type=sa.LargeBinary)
    created_at: dt.datetime = created_at_field()


class ChatMessage(SQLModel, table=True):
    """One line of a meeting's chat (text, a file, or both)."""

    __tablename__ = "chat_message"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    participant_id: int = Field(foreign_key="meeting_participant.id")
    text: str = Field(default="", max_length=2000)
    file_id: int | None = Field(default=None, foreign_key="meeting_file.id")
    created_at: dt.datetime = created_at_field()


class MeetingFeedback(SQLModel, table=True):
    """How a participant rated a meeting after leaving it (one per participant)."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", name="uq_meeting_feedback_participant"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    participant_id: int = Field(foreign_key="meeting_participant.id")
    stars: int
    comment: str = Field(default="", max_length=2000)
    created_at: dt.datetime = created_at_field()
