"""QR codes as inline SVG images (two-factor enrolment, joining a meeting on a phone)."""

from __future__ import annotations

import base64
import io

import segno


def qr_data_uri(text: str) -> str:
    """A ``data:image/svg+xml`` URI of a QR code holding ``text``."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
