"""Tenants: the insurers, banks and broker firms Consilio is sold to."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from app.i18n import LANGUAGES
from app.models.base import created_at_field, json_field

MODULES = ("booking", "meetings", "recording", "whiteboard", "cobrowse", "esignature", "portal")
# The modules that exist today: only these may be switched on, advertised or offered. The
# others are on the roadmap; a tenant switching one on would promise its customers nothing.
BUILT_MODULES = ("meetings",)


class Tenant(SQLModel, table=True):
    """One white-labelled customer of the platform."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=40)
    name: str = Field(max_length=120)
    # https origins that may show the tenant's pages in a frame (CSP frame-ancestors).
    embed_origins: list[str] = json_field()
    logo_url: str | None = Field(default=None, max_length=500)
    favicon_url: str | None = Field(default=None, max_length=500)
    primary_color: str = Field(default="#1f4e8c", max_length=7)
    accent_color: str = Field(default="#e07a1f", max_length=7)
    languages: list[str] = json_field(lambda: list(LANGUAGES))
    default_language: str = Field(default="de", max_length=5)
    modules: list[str] = json_field(lambda: list(BUILT_MODULES))
    password_min_length: int = Field(default=12)
    privacy_url: str | None = Field(default=None, max_length=500)
    privacy_notice_version: int = Field(default=1)  # counts changes of privacy_url
    # Without a notice of its own, the tenant may adopt the platform's default notice for
    # meeting guests; with neither, guests are not let into its meetings.
    privacy_default_notice: bool = Field(default=False)
    imprint_url: str | None = Field(default=None, max_length=500)
    terms_url: str | None = Field(default=None, max_length=500)
    mail_from: str | None = Field(default=None, max_length=200)
    smtp_host: str | None = Field(default=None, max_length=200)
    smtp_port: int | None = Field(default=None)
    smtp_username: str | None = Field(default=None, max_length=200)
    smtp_password_encrypted: str | None = Field(default=None, max_length=1000)
    meeting_file_max_mb: int = Field(default=10)
    meeting_file_types: list[str] = json_field(lambda: ["pdf", "png", "jpeg", "txt"])
    meeting_media_on: bool = Field(default=True)
    meeting_lobby: bool = Field(default=False)
    meeting_feedback_text: str | None = Field(default=None, max_length=500)
    meeting_feedback_url: str | None = Field(default=None, max_length=500)
    admins_need_2fa: bool = Field(default=True)  # admins act only after enrolling TOTP
    active: bool = Field(default=True)
    created_at: dt.datetime = created_at_field()
