"""Reflex configuration. Reads app/settings.py and nothing else."""

import reflex as rx

from app.settings import get_settings

_settings = get_settings()

# state_auto_setters is off by default in Reflex 0.10 (setting it only prints a deprecation
# warning); tests/test_state_security.py checks that no state has generated setters.
config = rx.Config(
    app_name="app",
    app_module_import="app.app",
    # One port for pages, event socket and API (Reflex's production layout), so the session
    # cookie, the tenant's host and the API share one origin.
    frontend_port=_settings.port,
    backend_port=_settings.port,
    api_url=_settings.public_url,
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
