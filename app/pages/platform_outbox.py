"""Super admin: the dev outbox of all tenants (dev mode only, while no SMTP server is set up)."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout
from components.forms import card
from components.outbox import Outbox, outbox
from state.locale import t
from state.platform_outbox import PlatformOutboxState


def platform_outbox() -> rx.Component:
    """Kept mails of every tenant, e.g. a new tenant's first invitation."""
    return protected(
        title("outbox.title"),
        rx.vstack(
            error_callout(PlatformOutboxState.error),
            card(
                t("outbox.title"),
                rx.text(t("outbox.help"), size="2", color_scheme="gray"),
                outbox(
                    Outbox(
                        rows=PlatformOutboxState.mails,
                        opened_subject=PlatformOutboxState.opened_subject,
                        opened_html=PlatformOutboxState.opened_html,
                        on_open=PlatformOutboxState.open_mail,
                        on_close=PlatformOutboxState.close_mail,
                        text=t,
                        show_tenant=True,
                    )
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("super_admin", PlatformOutboxState.load)
