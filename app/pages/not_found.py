"""The page for every address no page matches (Reflex's 404 route), in the tenant's look."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, on_load, page
from components.not_found import lost_view, way_back
from state.locale import t
from state.session import SessionState


def not_found() -> rx.Component:
    """What happened, and the way back: the tenant's home, and a signed-in user's start page."""
    return page(
        lost_view(
            "map_pin_off",
            t("notfound.title"),
            t("notfound.text"),
            way_back(
                t("notfound.back_home"), href(routes.LANDING), "house", link_id="not-found-home"
            ),
            rx.cond(
                SessionState.signed_in,
                way_back(
                    t("notfound.to_start"),
                    href(routes.HOME),
                    "layout_dashboard",
                    link_id="not-found-start",
                    variant="soft",
                ),
            ),
            view_id="not-found",
        )
    )


ON_LOAD = on_load(None)
