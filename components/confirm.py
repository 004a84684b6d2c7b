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
    return confirm_dialog(
        rx.button(label, size="2", variant="soft", color_scheme="red", **props),
        question,
        subject=subject,
        confirm_label=confirm_label,
        cancel_label=cancel_label,
        on_confirm=on_confirm,
    )


def confirm_dialog(
    trigger: rx.Component,
    question: rx.Var[str] | str,
    *,
    subject: rx.Var[str] | str,
    confirm_label: rx.Var[str] | str,
    cancel_label: rx.Var[str] | str,
    on_confirm: Any,
    detail: rx.Var[str] | str = "",
    confirm_class: str = "",
) -> rx.Component:
    """``trigger`` (any button, e.g. an icon button) opens "question" about ``subject``, with
    ``detail`` saying what follows; only the red action runs ``on_confirm``.

    The dialog keeps keyboard focus inside while open and gives it back to ``trigger`` when
    closed; cancel is focused first, so Enter alone never confirms.
    """
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(question, size="4"),
            rx.alert_dialog.description(rx.code(subject, size="3"), margin_top="0.5em"),
            *([] if isinstance(detail, str) and not detail else [rx.text(detail, size="2")]),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(cancel_label, variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        confirm_label,
                        color_scheme="red",
                        on_click=on_confirm,
                        **({"class_name": confirm_class} if confirm_class else {}),
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
                wrap="wrap",
            ),
            max_width="28em",
        ),
    )
