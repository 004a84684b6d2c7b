"""`python -m media_nodes`: run one media node with the settings from CONSILIO_* variables."""

from __future__ import annotations

import asyncio
import logging

from app.services import keys
from app.settings import get_settings
from media_nodes.ice import restrict_host_addresses
from media_nodes.node import MediaNode


def main() -> None:
    """Serve signaling, health and metrics; report to the registry; drain on SIGTERM."""
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    keys.refuse_unsafe_secret_key(settings)
    addresses = [a.strip() for a in settings.media_ice_addresses.split(",") if a.strip()]
    restrict_host_addresses(addresses)
    asyncio.run(MediaNode(settings).serve())


if __name__ == "__main__":
    main()
