"""`python -m media_nodes`: run one media node with the settings from CONSILIO_* variables."""

from __future__ import annotations

import logging

from aiohttp import web

from app.settings import get_settings
from media_nodes.ice import restrict_host_addresses
from media_nodes.server import build_app


def main() -> None:
    """Serve signaling, health and metrics until stopped."""
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    restrict_host_addresses(
        [a.strip() for a in settings.media_ice_addresses.split(",") if a.strip()]
    )
    web.run_app(build_app(), host=settings.media_host, port=settings.media_port, print=None)


if __name__ == "__main__":
    main()
