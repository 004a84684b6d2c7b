"""Liveness and readiness for load balancers."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.services.db import get_engine

router = APIRouter()


@router.get("/api/health")
def health() -> JSONResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with get_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})
