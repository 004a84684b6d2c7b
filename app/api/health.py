"""Liveness and readiness for load balancers, with the platform's configuration problems."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.services import platform_health
from app.services.db import get_engine

router = APIRouter()


@router.get("/api/health")
def health() -> JSONResponse:
    """200 when the database answers, 503 otherwise.

    ``problems`` names what the operator must fix without taking this backend out of the
    load balancer (``turn_missing``: no TURN relay configured, ``media_none``: no live video
    server): bare codes, no addresses; super admins see details on the platform's health
    page.
    """
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "problems": platform_health.problems()})
