"""The FastAPI app mounted in front of Reflex's backend (api_transformer)."""

from __future__ import annotations

from fastapi import FastAPI

from app.api import brand, health, media_events, session


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
