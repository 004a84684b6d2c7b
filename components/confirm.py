"""Buttons whose action runs only after the person confirms it in a dialog.

Every destructive action goes through here (suspend a tenant, deactivate a user, delete a team,
remove a domain, end a meeting for everyone, remove a participant ...): the dialog names who or
what is affected and says what will happen, so a slip of the finger on a phone changes nothing.
Radix's alert dialog traps focus while open, closes on Escape (= cancel) and gives focus back
to the button that opened it; cancel is focused first, so Enter alone never confirms.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_button(
    label: rx.Var[str] | str,
    question: rx.Var[str] | str,
    *,
    subject: rx.Var[str] | str,
    consequence: rx.Var[str] | str | None = None,
    confirm_label: rx.Var[str] | str,
    cancel_label: rx.Var[str] | str,
    on_confirm: Any,
    size: str = "2",
    **props: Any,
) -> rx.Component:
    """A red soft button opening ``question`` about ``subject``; only the dialog's red action
    runs ``on_confirm``, cancel (or Escape) changes nothing.

    Args:
        label: the button's text (what the action is called).
        question: the dialog's title, e.g. "Suspend Helvetia Vorsorge?".
        subject: who or what the action affects (shown in the dialog, e.g. a name or host).
        consequence: what will happen once confirmed, in plain words.
        confirm_label: the red action's text (usually the same verb as ``label``).
        cancel_label: the text of the button that changes nothing.
        on_confirm: the event to run once confirmed.
        size: the trigger's size (``"1"`` in table rows and cards).
        props: passed to the trigger button (``class_name``, ``aria_label`` ...).
    """
    return confirm_dialog(
        rx.button(label, size=size, variant="soft", color_scheme="red", **props),
        question,
        subject=subject,
        consequence=consequence,
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
    consequence: rx.Var[str] | str | None = None,
    confirm_class: str = "",
) -> rx.Component:
    """``trigger`` (any button, e.g. an icon button) opens ``question`` about ``subject``, with
    ``consequence`` saying what follows; only the red action runs ``on_confirm``.

    The confirm button carries ``confirm-yes`` (and ``confirm_class``), cancel ``confirm-no``.
    """
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(question, size="4"),
            rx.text(
                subject,
                weight="bold",
                size="3",
                style={"wordBreak": "break-word"},
                class_name="confirm-subject",
            ),
            *(
                [rx.alert_dialog.description(consequence, size="2", margin_top="0.5em")]
                if consequence is not None
                else []
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        cancel_label, variant="soft", color_scheme="gray", class_name="confirm-no"
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        confirm_label,
                        color_scheme="red",
                        on_click=on_confirm,
                        class_name=f"confirm-yes {confirm_class}".strip(),
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
