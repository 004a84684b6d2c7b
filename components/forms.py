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
    reset_on_submit: bool = False,
    **props: Any,
) -> rx.Component:
    """A titled form; the handler receives the fields as a dict."""
    return card(
        title,
        rx.form(
            rx.vstack(*children, spacing="3", width="100%", align="stretch"),
            on_submit=on_submit,
            reset_on_submit=reset_on_submit,
            width="100%",
        ),
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
