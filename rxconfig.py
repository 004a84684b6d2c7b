"""Reflex configuration. Reads app/settings.py and nothing else."""

from urllib.parse import urlsplit, urlunsplit

import reflex as rx

from app.settings import get_settings

_settings = get_settings()


def _same_origin(url: str) -> str:
    """The public URL with "localhost" as its host: Reflex's frontend then reaches the event
    socket and uploads on the host the page was loaded from (its getBackendURL swaps a
    localhost for the page's host, and drops the port on https). Without it a tenant's own
    domain would open the socket on the platform's host, a different site, and the HttpOnly
    session cookie (SameSite=Strict) set on the tenant's domain would never reach it."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"localhost{port}", parts.path, "", ""))


# state_auto_setters is off by default in Reflex 0.10 (setting it only prints a deprecation
# warning); tests/test_state_security.py checks that no state has generated setters.
config = rx.Config(
    app_name="app",
    app_module_import="app.app",
    # One port for pages, event socket and API (Reflex's production layout), so the session
    # cookie, the tenant's host and the API share one origin.
    frontend_port=_settings.port,
    backend_port=_settings.port,
    api_url=_same_origin(_settings.public_url),
    # Behind a reverse proxy, the client address (rate limits, audit) comes from its
    # X-Forwarded-For; app/services/rate_limits.client_address applies the same rule to
    # HTTP routes.
    trusted_proxy_hops=_settings.trusted_proxy_hops,
    deploy_url=_settings.public_url,
    redis_url=_settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(appearance="light", accent_color="indigo", radius="medium")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
