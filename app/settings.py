"""Every knob of Consilio in one pydantic-settings object.

Values come from environment variables prefixed ``CONSILIO_`` or from a ``.env`` file in the
working directory. The defaults form the embedded setup: a SQLite file under ``data/``, no
Redis (in-process broker and bus). Dev mode (``CONSILIO_ENVIRONMENT=dev``, written into
``.env`` by ``make dev`` with a random secret key) is what a developer's machine runs;
anything else is production, which refuses the published default secret key.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-insecure-secret-change-me"  # noqa: S105 (published; refused outside dev)


class Settings(BaseSettings):
    """Platform configuration. Each field documents its environment variable in README.md."""

    model_config = SettingsConfigDict(
        env_prefix="CONSILIO_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'data' / 'consilio.db'}",
        description="SQLAlchemy URL of the database (SQLite file or postgresql+psycopg://...).",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL. When set: Reflex state, Dramatiq broker and room bus use it.",
    )
    secret_key: str = Field(
        default=DEV_SECRET_KEY,
        description="Every signing and encryption key is derived from it (at least 32 bytes; "
        "the default is refused outside dev mode). Same value on web, workers and media nodes.",
    )
    previous_secret_keys: str = Field(
        default="",
        description="Comma-separated former secret keys, still accepted for verifying and "
        "decrypting (never for signing) while the secret key rotates.",
    )
    public_url: str = Field(
        default="http://localhost:3000",
        description="Browser-facing base URL, used in links inside mails.",
    )
    port: int = Field(
        default=3000, description="Port serving the web UI, its event socket and the REST API."
    )
    default_tenant: str = Field(
        default="demo",
        description="Tenant slug used when neither a custom domain nor /t/{slug} matches.",
    )
    session_idle_minutes: int = Field(default=30, description="Sign out after idle minutes.")
    session_absolute_hours: int = Field(
        default=12, description="Sign out this many hours after login, active or not."
    )
    login_max_failures: int = Field(
        default=5, description="Failed logins per account before it is locked for a while."
    )
    login_lockout_minutes: int = Field(default=15, description="Lockout after too many failures.")
    invitation_valid_hours: int = Field(default=72, description="Lifetime of invitation links.")
    reset_valid_minutes: int = Field(default=30, description="Lifetime of password-reset links.")
    argon2_time_cost: int = Field(default=2, description="argon2id iterations (OWASP: 2).")
    argon2_memory_kib: int = Field(default=19456, description="argon2id memory (OWASP: 19 MiB).")
    argon2_parallelism: int = Field(default=1, description="argon2id lanes (OWASP: 1).")
    smtp_host: str | None = Field(
        default=None, description="Platform SMTP host; unset keeps mail in the dev outbox."
    )
    smtp_port: int = Field(default=587, description="Platform SMTP port.")
    smtp_username: str | None = Field(default=None, description="Platform SMTP user.")
    smtp_password: str | None = Field(default=None, description="Platform SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Use STARTTLS with the SMTP server.")
    mail_from: str = Field(
        default="Consilio <no-reply@consilio.localhost>", description="Default sender address."
    )
    worker_threads: int = Field(default=2, description="Worker threads of the in-process broker.")
    log_level: str = Field(default="INFO", description="Python log level.")
    media_host: str = Field(default="127.0.0.1", description="Address a media node listens on.")
    media_port: int = Field(default=8443, description="Signaling/health/metrics port of a node.")
    media_ice_addresses: str = Field(
        default="",
        description=(
            "Comma-separated addresses a media node gathers ICE candidates on (empty: every "
            "interface but loopback; tests use 127.0.0.1 inside a private network namespace)."
        ),
    )
    media_public_url: str = Field(
        default="http://127.0.0.1:8443",
        description="Where browsers reach this media node (its /ws signaling lives below).",
    )
    media_node_id: str = Field(
        default="", description="Name of this media node in the registry (empty: host:port)."
    )
    media_heartbeat_seconds: float = Field(
        default=2.0, description="How often a media node reports its load to the registry."
    )
    media_node_ttl_seconds: float = Field(
        default=6.0, description="A node silent this long is dropped and its rooms move."
    )
    media_drain_seconds: float = Field(
        default=3600.0,
        description="On SIGTERM a node takes no new rooms; it stops when its "
        "rooms are empty or after this many seconds.",
    )
    turn_urls: str = Field(
        default="",
        description="Comma-separated TURN URLs given to browsers, e.g. "
        "turn:turn.example.com:3478?transport=udp (empty: no relay offered).",
    )
    turn_secret: str = Field(
        default="",
        description="Shared secret with coturn (static-auth-secret); empty: derived from "
        "CONSILIO_SECRET_KEY.",
    )
    turn_realm: str = Field(default="consilio", description="TURN realm.")
    turn_credential_seconds: int = Field(
        default=3600, description="Lifetime of the TURN credentials a participant gets."
    )
    media_join_token_seconds: int = Field(
        default=120, description="How long a join token for a media node stays valid."
    )
    media_probe_seconds: float = Field(
        default=30.0,
        description="How long a test center network check may stay on a media node.",
    )
    media_events_url: str = Field(
        default="",
        description="Where media nodes report who is connected (the app's /api/media/events); "
        "empty: derived from CONSILIO_PUBLIC_URL. 'off' disables the reports.",
    )
    demo_data: bool = Field(default=True, description="Seed the demo tenants on `make dev`.")
    environment: str = Field(
        default="production",
        description="'dev' for a developer's machine (dev outbox, demo data, the default "
        "secret key); anything else is production.",
    )

    @property
    def media_events_target(self) -> str:
        """The URL a media node posts presence reports to ("" when switched off)."""
        if self.media_events_url == "off":
            return ""
        return self.media_events_url or self.public_url.rstrip("/") + "/api/media/events"

    @property
    def uses_redis(self) -> bool:
        """Whether Redis-backed broker, state and bus are configured."""
        return bool(self.redis_url)

    @property
    def dev_mode(self) -> bool:
        """Whether this is a developer's machine (never true in production)."""
        return self.environment == "dev"


@functools.cache
def get_settings() -> Settings:
    """Return the process-wide settings (read once; tests clear the cache to override)."""
    return Settings()
