"""The FastAPI app mounted in front of Reflex's backend, and the middleware around both.

Reflex applies ``api_transformer`` entries in order: the first mounts its backend (pages,
event socket, ``/_upload``) inside the REST API; each callable after it wraps the result. The
last one is outermost, so every response (refusals of the body limits included) carries the
security headers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import FastAPI
from starlette.types import ASGIApp

from app.api import brand, health, media_events, session
from app.api.middleware_bodies import BodyLimits
from app.api.middleware_headers import SecurityHeaders
from app.api.middleware_uploads import UPLOAD_PATH, admit_upload


def build_api() -> FastAPI:
    """Create the REST API application."""
    api = FastAPI(
        title="Consilio API", version="0.1.0", docs_url="/api/docs", openapi_url="/api/openapi.json"
    )
    api.include_router(health.router)
    api.include_router(brand.router)
    api.include_router(media_events.router)
    api.include_router(session.router)
    return api


def limit_bodies(app: ASGIApp) -> ASGIApp:
    """Refuse request bodies over their route's limit before they are read or spooled."""
    return BodyLimits(
        app,
        limits={"/api/media/events": media_events.MAX_REPORT_BYTES},
        gates={UPLOAD_PATH: admit_upload},
    )


def add_security_headers(app: ASGIApp) -> ASGIApp:
    """CSP, framing, referrer, permissions and HSTS headers on every response."""
    return SecurityHeaders(app)


def api_transformers() -> Sequence[FastAPI | Callable[[ASGIApp], ASGIApp]]:
    """What ``rx.App(api_transformer=...)`` gets: the REST API, then the middleware."""
    return [build_api(), limit_bodies, add_security_headers]
