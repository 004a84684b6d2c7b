"""Where the server sets and clears the session cookie (HttpOnly: no page script reads it).

Signing in happens over the event socket, which cannot set an HttpOnly cookie. The login
handler hands the browser a one-time code and sends it here with a full page load; this
answers with the cookie and a redirect to where the user was going. The page that follows
opens a new event socket whose handshake carries the cookie.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from app import routes
from app.services import sessions
from app.services.db import unit_of_work
from app.services.errors import NotSignedIn
from app.settings import get_settings

router = APIRouter()
logger = logging.getLogger(__name__)


def _cross_site(request: Request) -> bool:
    """A request the browser did not send as a top-level navigation of our own pages
    (Fetch Metadata; browsers without it send none of these headers).

    Refusing those keeps a stranger from signing a victim's browser into the stranger's
    account with a code of their own (login CSRF), or signing it out: from another site, or
    from a same-site image or frame (e.g. a tenant's logo address pointing here).
    """
    headers = request.headers
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    if headers.get("sec-fetch-mode", "navigate") != "navigate":
        return True
    return headers.get("sec-fetch-dest", "document") != "document"


def _redeem(code: str) -> str | None:
    try:
        with unit_of_work() as db:
            return sessions.redeem_handover(db, code)
    except NotSignedIn:
        return None


def _target(request: Request) -> str:
    return routes.safe_next(request.query_params.get("next", ""), "", "/")


def _secure() -> bool:
    return get_settings().public_url.startswith("https://")


@router.get(routes.SESSION_START, include_in_schema=False)
async def start_session(request: Request) -> RedirectResponse:
    """Exchange the sign-in's one-time code for the session cookie, then go on."""
    target = _target(request)
    if _cross_site(request) or request.headers.get("sec-fetch-site") == "none":
        logger.warning("refused a session hand-over not started by our own page")
        return RedirectResponse(target, status_code=303)
    token = await run_in_threadpool(_redeem, request.query_params.get("code", ""))
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if token is None:
        return response
    response.set_cookie(
        sessions.COOKIE_NAME,
        token,
        httponly=True,
        secure=_secure(),
        samesite="strict",
        path="/",
    )
    return response


@router.get(routes.SESSION_END, include_in_schema=False)
async def end_session(request: Request) -> RedirectResponse:
    """Forget the session cookie (the session itself was ended by the sign-out handler)."""
    response = RedirectResponse(_target(request), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if not _cross_site(request):
        response.delete_cookie(
            sessions.COOKIE_NAME, path="/", httponly=True, secure=_secure(), samesite="strict"
        )
    return response
