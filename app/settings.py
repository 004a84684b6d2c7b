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

from limits import parse_many
from pydantic import Field, field_validator
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
    platform_hosts: str = Field(
        default="",
        description="Comma-separated further hosts of the platform (besides the public URL's "
        "and media node's hosts and localhost): never a tenant's domain, their subdomains only "
        "given by a super admin. List a parent domain (e.g. consilio.example) to keep all its "
        "subdomains for the operator.",
    )
    dns_nameservers: str = Field(
        default="",
        description="Comma-separated nameservers (address or address:port) asked for "
        "custom-domain TXT proofs; empty: the system resolver.",
    )
    dns_timeout_seconds: float = Field(
        default=3.0, description="How long a custom-domain TXT proof may wait for DNS."
    )
    session_idle_minutes: int = Field(default=30, description="Sign out after idle minutes.")
    session_absolute_hours: int = Field(
        default=12, description="Sign out this many hours after login, active or not."
    )
    trusted_proxy_hops: int = Field(
        default=0,
        ge=0,
        description="Reverse proxies in front of the app that append the client's address "
        "to X-Forwarded-For; the client is the address this many entries from the end "
        "(0: the connection's own peer, the header is ignored).",
    )
    limit_login_account_address: str = Field(
        default="5/minute;10/15 minutes;20/hour",
        description="Failed sign-ins per account from one address (limits notation, tiers "
        "separated by ';'); then that address waits until the oldest failure leaves its window.",
    )
    limit_login_account: str = Field(
        default="20/5 minutes",
        description="Failed sign-ins per account from all addresses; addresses the account "
        "signed in from during the last 30 days are exempt, so the owner is not locked out.",
    )
    limit_login_address: str = Field(
        default="20/10 minutes;200/day",
        description="Failed sign-ins per address across all accounts (password spraying).",
    )
    limit_password_reset: str = Field(
        default="5/15 minutes;30/day",
        description="Forgot-password requests per address across accounts.",
    )
    limit_password_reset_account_address: str = Field(
        default="3/15 minutes;10/day",
        description="Forgot-password requests per account from one address.",
    )
    limit_password_reset_account: str = Field(
        default="20/hour;60/day",
        description="Reset mails per account from all addresses; past it the form answers "
        "as always but sends nothing (addresses the account signed in from lately are exempt).",
    )
    limit_invitation_mails: str = Field(
        default="500/hour;2500/day",
        description="Invitation mails per tenant (admins inviting, resending, importing).",
    )
    limit_meeting_invitation_mails: str = Field(
        default="30/hour;200/day",
        description="Meeting invitations by mail per host.",
    )
    limit_test_runs: str = Field(
        default="6/10 minutes",
        description="Test center runs per address (each one gets a media room and TURN "
        "credentials).",
    )
    limit_probe_passes: str = Field(
        default="60/minute",
        description="Test center network checks (TURN credentials) across the whole platform.",
    )
    limit_template_previews: str = Field(
        default="30/minute;300/hour",
        description="Mail template previews and saves per tenant (each renders the template "
        "in a sandbox child).",
    )
    invitation_valid_hours: int = Field(default=72, description="Lifetime of invitation links.")
    reset_valid_minutes: int = Field(default=30, description="Lifetime of password-reset links.")
    argon2_time_cost: int = Field(default=2, description="argon2id iterations (OWASP: 2).")
    argon2_memory_kib: int = Field(default=19456, description="argon2id memory (OWASP: 19 MiB).")
    argon2_parallelism: int = Field(default=1, description="argon2id lanes (OWASP: 1).")
    handler_threads: int = Field(
        default=12,
        ge=1,
        description="Threads per web process that run handlers' database and other blocking "
        "work; each process's database pool is sized from it (PostgreSQL's max_connections "
        "must cover all processes).",
    )
    password_hash_threads: int = Field(
        default=0,
        description="argon2 computations at once per process (0: one less than the cores, "
        "at least 1), so sign-ins never take the core that serves everyone's clicks.",
    )
    smtp_host: str | None = Field(
        default=None, description="Platform SMTP host; unset keeps mail in the dev outbox."
    )
    smtp_port: int = Field(default=587, description="Platform SMTP port.")
    smtp_username: str | None = Field(default=None, description="Platform SMTP user.")
    smtp_password: str | None = Field(default=None, description="Platform SMTP password.")
    smtp_tls: str = Field(
        default="starttls",
        description="TLS with the platform SMTP server: 'starttls' (required, refused when the "
        "server does not offer it), 'implicit' (TLS from the first byte, port 465) or 'none' "
        "(a local relay; no login is sent without TLS). Tenants' servers always need TLS.",
    )
    smtp_ca_file: str = Field(
        default="",
        description="Extra CA certificates (PEM file) trusted for SMTP servers, besides the "
        "system's; certificates and host names are always verified.",
    )
    smtp_allow_private_hosts: bool = Field(
        default=False,
        description="Let tenants point their SMTP server at loopback or private addresses "
        "(off: only public addresses, so tenants cannot reach the platform's own network).",
    )
    mail_preview_wait_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How long a mail template preview or save waits for a free render child "
        "before answering 'busy, try again' (it holds a handler thread meanwhile).",
    )
    mail_render_wait_seconds: float = Field(
        default=10.0,
        ge=0,
        description="How long rendering an outgoing mail (password reset, invitation...) waits "
        "for a free render child; then the action is refused with 'busy, try again'.",
    )
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
    media_origins: str = Field(
        default="",
        description="Space-separated origins of every media node browsers connect to, for the "
        "pages' Content-Security-Policy (e.g. https://media-1.example.com "
        "https://*.media.example.com; each also allows its ws/wss twin); empty: the origin of "
        "CONSILIO_MEDIA_PUBLIC_URL.",
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
        default=600,
        ge=2,
        description="Lifetime of the TURN credentials a participant gets; the media node "
        "sends fresh ones at half this while the participant is in the room.",
    )
    media_join_token_seconds: int = Field(
        default=120, description="How long a join token for a media node stays valid."
    )
    media_join_deadline_seconds: float = Field(
        default=10.0,
        gt=0,
        description="A media node closes a signaling socket that has not joined by then.",
    )
    media_sockets_per_address: int = Field(
        default=50,
        ge=1,
        description="Signaling sockets one client address may hold open on a media node.",
    )
    media_socket_messages_per_second: float = Field(
        default=10.0,
        gt=0,
        description="Signaling messages a second one socket may send on average (more closes it).",
    )
    media_socket_message_burst: int = Field(
        default=100,
        ge=1,
        description="Signaling messages one socket may send at once (joining a large room "
        "subscribes to every feed).",
    )
    media_probe_seconds: float = Field(
        default=30.0,
        description="How long a test center network check may stay on a media node.",
    )
    media_probes_per_node: int = Field(
        default=20,
        ge=1,
        description="Test center network checks a media node runs at once (more are refused "
        "as busy, so checks never crowd out meetings).",
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

    @field_validator(
        "limit_login_account_address",
        "limit_login_account",
        "limit_login_address",
        "limit_password_reset",
        "limit_password_reset_account_address",
        "limit_password_reset_account",
        "limit_invitation_mails",
        "limit_meeting_invitation_mails",
        "limit_test_runs",
        "limit_probe_passes",
        "limit_template_previews",
    )
    @classmethod
    def _limits_notation(cls, value: str) -> str:
        """A rate limit must parse at start, not on the first sign-in it should guard."""
        parse_many(value)
        return value

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
