"""A button whose action runs only after the person confirms it in a dialog."""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_button(
    label: rx.Var[str] | str,
    question: rx.Var[str] | str,
    *,
    subject: rx.Var[str] | str,
    confirm_label: rx.Var[str] | str,
    cancel_label: rx.Var[str] | str,
    on_confirm: Any,
    **props: Any,
) -> rx.Component:
    """A red soft button opening "question" about ``subject``; only its red action runs
    ``on_confirm``, cancel (or Escape) changes nothing."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(label, size="2", variant="soft", color_scheme="red", **props)
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(question, size="4"),
            rx.alert_dialog.description(rx.code(subject, size="3"), margin_top="0.5em"),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(cancel_label, variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(confirm_label, color_scheme="red", on_click=on_confirm)
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
                wrap="wrap",
            ),
            max_width="28em",
        ),
    )
