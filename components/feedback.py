"""Messages on a page: errors, confirmations, empty states, progress."""

from __future__ import annotations

import reflex as rx


def error_callout(message: rx.Var[str]) -> rx.Component:
    """A red message, shown only when ``message`` is not empty; announced to screen readers."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
    )


def notice_callout(message: rx.Var[str]) -> rx.Component:
    """A green confirmation, shown only when ``message`` is not empty."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="check", color_scheme="green", role="status", width="100%"),
    )


def empty_state(icon: str, title: rx.Var[str] | str, text: rx.Var[str] | str) -> rx.Component:
    """A clearly labelled placeholder for something that has no content (yet)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, size=20, color="var(--brand)"),
                rx.heading(title, size="4", as_="h2"),
                align="center",
            ),
            rx.text(text, color_scheme="gray", size="2"),
            spacing="2",
        ),
        width="100%",
    )


def spinner_block(label: rx.Var[str] | str) -> rx.Component:
    """A centred spinner with a text, for content that is still loading."""
    return rx.center(
        rx.hstack(rx.spinner(), rx.text(label, color_scheme="gray")), padding="3em", role="status"
    )
