"""Tenants' logos and favicons, public, cacheable for good under their versioned address."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.services import brand_assets
from app.services.db import unit_of_work

router = APIRouter()

# An uploaded image is only ever shown as an image: never sniffed as something else, never
# run as a document, even if someone opens its address directly.
_SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


@router.get("/api/brand/{slug}/{kind}")
def brand_image(slug: str, kind: str, request: Request) -> Response:
    """The tenant's current logo or favicon (404 when it has none)."""
    with unit_of_work() as session:
        asset = brand_assets.published(session, slug, kind)
        if asset is None:
            return Response(status_code=404, headers=_SAFE_HEADERS)
        data, content_type, digest = asset.data, asset.content_type, asset.sha256
    etag = f'"{digest[:32]}"'
    versioned = request.query_params.get("v") == digest[:16]
    headers = {
        **_SAFE_HEADERS,
        "ETag": etag,
        "Cache-Control": "public, max-age=31536000, immutable"
        if versioned
        else "public, max-age=300",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type=content_type, headers=headers)
