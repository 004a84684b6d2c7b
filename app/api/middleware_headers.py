"""Security headers on every response of the app: CSP, framing, referrer, permissions, HSTS.

One ASGI middleware wraps the whole app (built pages and their JS/CSS, the event socket's
HTTP side, the REST API, ``/_upload``, health). Headers a route sets itself win (a tenant's
logo keeps its own ``sandbox`` policy; the session hand-over its ``no-referrer``).

The pages' Content-Security-Policy, and why each source is there:

* ``script-src 'self'`` — the built bundle and the app's own modules (``/meeting.js``...);
  plus the SHA-256 of every inline script in the built HTML (theme, scroll restoration and
  React Router's hydration context; hashed from the build, so nothing else inline runs);
  plus ``'unsafe-eval'``, because Reflex's frontend runs ``rx.call_script`` and its callbacks
  sent by the server through ``eval`` (the meeting room, the test center and the session
  hand-over use it). No ``'unsafe-inline'``: injected inline script and event-handler
  attributes do not run.
* ``style-src 'self' 'unsafe-inline'`` — Emotion (Reflex's CSS-in-JS) and Radix write
  ``<style>`` elements and ``style`` attributes at runtime.
* ``img-src 'self' data:`` — tenants' logos and favicons come from ``/api/brand/...``; QR
  codes (2FA, meeting hand-over) are ``data:`` URIs.
* ``connect-src 'self'`` plus the public URL's origin and the media nodes' origins, each with
  its ws/wss twin — the event socket and uploads go to ``CONSILIO_PUBLIC_URL`` (the same origin
  unless a tenant's custom domain is used), the meeting room and the test center open a
  websocket to a media node (``CONSILIO_MEDIA_ORIGINS``). WebRTC media and TURN are not
  subject to CSP.
* ``object-src 'none'; base-uri 'self'; form-action 'self'``, everything else ``'self'``.
* ``frame-ancestors`` — ``'none'`` (plus ``X-Frame-Options: DENY``) unless the page's tenant
  lists origins that may embed it (``Tenant.embed_origins``).

Responses that are not HTML get ``default-src 'none'; frame-ancestors 'none'`` (opened
directly, nothing in them runs). Pages whose URL carries a secret (password reset,
activation, a meeting's personal link, any ``token``/``k``/``code`` parameter) send no
referrer at all; every other response sends ``strict-origin-when-cross-origin``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import routes
from app.services import tenants
from app.services.db import unit_of_work
from app.services.errors import NotFound
from app.settings import Settings, get_settings

logger = logging.getLogger(__name__)

PERMISSIONS_POLICY = (
    "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()"
)
NOT_A_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'"
# FastAPI's API docs load Swagger UI / ReDoc from their CDN and start them inline.
DOCS_PATHS = ("/api/docs", "/api/docs/oauth2-redirect", "/api/redoc")
DOCS_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"
)
HSTS = "max-age=31536000"
SECRET_QUERY_KEYS = frozenset({"token", "k", "code"})
SECRET_PAGES = (routes.RESET_PASSWORD, routes.ACTIVATE, routes.meeting(""))
EMBED_CACHE_SECONDS = 30.0
HASHES_RECHECK_SECONDS = 5.0  # a new frontend build is noticed within this
EMBED_CACHE_SIZE = 1024
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
_TENANT_PATH = re.compile(r"^/t/([^/]+)(/.*)?$")


def built_pages_dir() -> Path:
    """Where Reflex's production build keeps the HTML pages it serves."""
    from reflex.utils import prerequisites
    from reflex_base import constants
    from reflex_base.config import get_config

    frontend_path = get_config().frontend_path.strip("/")
    return prerequisites.get_web_dir() / constants.Dirs.STATIC / frontend_path


def inline_script_hashes(pages_dir: Path) -> tuple[str, ...]:
    """CSP sources (``'sha256-…'``) of every inline script in the built HTML pages."""
    found: set[str] = set()
    for page in sorted(pages_dir.rglob("*.html")):
        for match in _INLINE_SCRIPT.finditer(page.read_bytes()):
            digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
            found.add(f"'sha256-{digest}'")
    return tuple(sorted(found))


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _with_socket_twin(origin: str) -> list[str]:
    """``origin`` and the same host in the websocket (or HTTP) scheme."""
    twins = {"http": "ws", "https": "wss", "ws": "http", "wss": "https"}
    scheme, _, rest = origin.partition("://")
    if scheme not in twins or not rest:
        return []
    return [origin, f"{twins[scheme]}://{rest}"]


def connect_sources(settings: Settings) -> tuple[str, ...]:
    """Where page scripts may connect: the app, its public URL and the media nodes."""
    media = settings.media_origins.replace(",", " ").split() or [settings.media_public_url]
    sources = ["'self'"]
    for url in [settings.public_url, *media]:
        for source in _with_socket_twin(_origin(url)):
            if source not in sources:
                sources.append(source)
    return tuple(sources)


def page_policy(scripts: Iterable[str], connect: Iterable[str], ancestors: Iterable[str]) -> str:
    """The Content-Security-Policy of a built page (see the module docstring for why)."""
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self' 'unsafe-eval'", *scripts]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src " + " ".join(connect),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors " + (" ".join(ancestors) or "'none'"),
        ]
    )


def _split_tenant(path: str) -> tuple[str, str]:
    """(tenant slug or "", the page path without the ``/t/{slug}`` prefix)."""
    match = _TENANT_PATH.match(path)
    if match:
        return match.group(1), match.group(2) or "/"
    return "", path


def carries_secret(path: str, query: str) -> bool:
    """Whether the page's URL holds a secret that a Referer header could leak."""
    _slug, page = _split_tenant(path)
    if any(page.startswith(secret) for secret in SECRET_PAGES):
        return True
    return bool(SECRET_QUERY_KEYS & set(parse_qs(query, keep_blank_values=True)))


def embed_origins(host: str, slug: str) -> tuple[str, ...]:
    """The origins the page's tenant lets embed its pages (none for an unknown tenant)."""
    with unit_of_work() as db:
        try:
            tenant = tenants.resolve_tenant(
                db, host=host, slug=slug, default=get_settings().default_tenant
            )
        except NotFound:
            return ()
        return tuple(tenant.embed_origins)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response.

    Args:
        app: the ASGI app to wrap.
        pages_dir: the built HTML pages whose inline scripts are allowed (default: Reflex's
            production build directory).
        lookup_embed_origins: ``(host, slug) -> origins`` (default: from the tenant in the
            database, cached for :data:`EMBED_CACHE_SECONDS`).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        pages_dir: Path | None = None,
        lookup_embed_origins: Callable[[str, str], tuple[str, ...]] = embed_origins,
    ) -> None:
        self.app = app
        self._pages_dir = pages_dir
        self._lookup = lookup_embed_origins
        self._hashes: tuple[float, tuple[str, ...]] = (-1.0, ())
        self._hashes_checked = -HASHES_RECHECK_SECONDS
        self._embeds: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
        settings = get_settings()
        self._connect = connect_sources(settings)
        self._https = settings.public_url.startswith("https://")

    def _read_hashes(self) -> tuple[float, tuple[str, ...]]:
        pages = self._pages_dir or built_pages_dir()
        try:
            stamp = (pages / "index.html").stat().st_mtime
        except OSError:
            stamp = 0.0
        if stamp == self._hashes[0]:
            return self._hashes
        return stamp, inline_script_hashes(pages) if pages.is_dir() else ()

    async def _script_hashes(self) -> tuple[str, ...]:
        """Hashes of the build's inline scripts, read again when the build changes (looked
        at every few seconds, off the event loop)."""
        now = time.monotonic()
        if now >= self._hashes_checked + HASHES_RECHECK_SECONDS:
            self._hashes_checked = now
            self._hashes = await run_in_threadpool(self._read_hashes)
        return self._hashes[1]

    async def _ancestors(self, scope: Scope, headers: MutableHeaders) -> tuple[str, ...]:
        slug, _page = _split_tenant(scope["path"])
        key = (headers.get("host", "")[:255].lower(), slug[:40].lower())
        now = time.monotonic()
        cached = self._embeds.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            origins = await run_in_threadpool(self._lookup, *key)
        except Exception:
            logger.exception("could not read the embedding origins of %s", key)
            origins = ()
        if len(self._embeds) >= EMBED_CACHE_SIZE:
            self._embeds.clear()
        self._embeds[key] = (now + EMBED_CACHE_SECONDS, origins)
        return origins

    async def _add_headers(self, scope: Scope, message: Message) -> Message:
        headers = MutableHeaders(raw=list(message.get("headers", [])))
        is_page = headers.get("content-type", "").startswith("text/html")
        ancestors: tuple[str, ...] = ()
        policy = ""
        if message["status"] == 304:
            # A revalidated page keeps the policy it was cached with: a 304 has no content
            # type, and its headers would replace the cached ones.
            pass
        elif is_page and scope["path"] in DOCS_PATHS:
            policy = DOCS_POLICY
        elif is_page:
            request_headers = MutableHeaders(raw=list(scope.get("headers", [])))
            ancestors = await self._ancestors(scope, request_headers)
            policy = page_policy(await self._script_hashes(), self._connect, ancestors)
        else:
            policy = NOT_A_PAGE_POLICY
        query = scope.get("query_string", b"").decode("latin-1")
        referrer = (
            "no-referrer"
            if carries_secret(scope["path"], query)
            else "strict-origin-when-cross-origin"
        )
        wanted = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": referrer,
            "Permissions-Policy": PERMISSIONS_POLICY,
        }
        if policy:
            wanted["Content-Security-Policy"] = policy
            if not ancestors:
                wanted["X-Frame-Options"] = "DENY"
        if self._https:
            wanted["Strict-Transport-Security"] = HSTS
        for name, value in wanted.items():
            if name not in headers:
                headers[name] = value
        return {**message, "headers": headers.raw}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = await self._add_headers(scope, message)
            await send(message)

        await self.app(scope, receive, send_with_headers)
