"""Labelled form fields and cards; every input has a visible label bound by id."""

from __future__ import annotations

from typing import Any

import reflex as rx


def field(
    label: rx.Var[str] | str,
    name: str,
    *,
    type: str = "text",
    required: bool = False,
    autocomplete: str = "off",
    default_value: rx.Var[str] | str | None = None,
    help_text: rx.Var[str] | str | None = None,
    **props: Any,
) -> rx.Component:
    """One labelled input of a form (the form submits it under ``name``)."""
    input_id = f"field-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "0.9em"}),
        rx.input(
            id=input_id,
            name=name,
            type=type,
            required=required,
            auto_complete=autocomplete,
            default_value=default_value,
            width="100%",
            size="3",
            **props,
        ),
        *([rx.text(help_text, size="1", color_scheme="gray")] if help_text is not None else []),
        spacing="1",
        width="100%",
        align="stretch",
    )


SELECT_STYLE = {
    "padding": "0.5em",
    "borderRadius": "6px",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    "width": "100%",
    "minHeight": "2.5em",
}


def select_field(
    label: rx.Var[str] | str,
    name: str,
    *options: rx.Component,
    default_value: rx.Var[str] | str | None = None,
) -> rx.Component:
    """A labelled native select (``options`` are ``rx.el.option`` / ``rx.el.optgroup``);
    native, so it works with the keyboard, screen readers and a phone's own picker."""
    input_id = f"field-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "0.9em"}),
        rx.el.select(
            *options, id=input_id, name=name, default_value=default_value, style=SELECT_STYLE
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def text_area_field(
    label: rx.Var[str] | str,
    name: str,
    *,
    default_value: rx.Var[str] | str = "",
    rows: str = "6",
    key: rx.Var[str] | str | None = None,
    **props: Any,
) -> rx.Component:
    """A labelled multi-line input."""
    input_id = f"field-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style={"fontWeight": "500", "fontSize": "0.9em"}),
        rx.text_area(
            id=input_id,
            name=name,
            default_value=default_value,
            rows=rows,
            width="100%",
            key=key,
            style={"fontFamily": "monospace", "fontSize": "0.85em"},
            **props,
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def submit_button(label: rx.Var[str] | str, **props: Any) -> rx.Component:
    """The primary button of a form, in the tenant's colour."""
    return rx.button(label, type="submit", size="3", **props)


def card(title: rx.Var[str] | str, *children: rx.Component, **props: Any) -> rx.Component:
    """A titled section of a page."""
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            *children,
            spacing="3",
            width="100%",
            align="stretch",
        ),
        width="100%",
        **props,
    )


def form_card(
    title: rx.Var[str] | str,
    *children: rx.Component,
    on_submit: Any,
    revision: rx.Var[int] | rx.Var[str] | None = None,
    reset_on_submit: bool = False,
    **props: Any,
) -> rx.Component:
    """A titled form; the handler receives the fields as a dict.

    Keep ``reset_on_submit`` off for anything but secrets (passwords, codes): the browser
    would empty the form the moment it is sent, so when the server refuses (a bad address, a
    name already taken) what the person typed would be gone. To empty the form after a
    success instead, the handler changes ``revision`` (a counter in its state): the form is
    keyed by it, so its fields start over from their defaults.
    """
    return card(
        title,
        keyed_form(
            *children, on_submit=on_submit, revision=revision, reset_on_submit=reset_on_submit
        ),
        **props,
    )


def keyed_form(
    *children: rx.Component,
    on_submit: Any,
    revision: rx.Var[int] | rx.Var[str] | None = None,
    reset_on_submit: bool = False,
    **props: Any,
) -> rx.Component:
    """A form that keeps its fields when the server refuses and starts over when the state
    changes ``revision`` (see :func:`form_card`)."""
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%", align="stretch"),
        on_submit=on_submit,
        reset_on_submit=reset_on_submit,
        width="100%",
        **({"key": revision.to_string()} if revision is not None else {}),
        **props,
    )


def labelled_switch(
    element_id: str, label: rx.Var[str] | str, checked: rx.Var[bool], on_change: Any
) -> rx.Component:
    """An on/off switch with its visible label bound by id."""
    return rx.hstack(
        rx.switch(id=element_id, name=element_id, checked=checked, on_change=on_change),
        rx.el.label(label, html_for=element_id),
        align="center",
    )
