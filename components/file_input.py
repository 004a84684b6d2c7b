"""Reflex's upload drop zone with a file input that screen readers can name.

`rx.upload` renders react-dropzone's hidden ``<input type=file>`` without a label; assistive
technology reaches it and announces nothing. This wrapper gives it the zone's accessible name.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


def labelled_upload(
    *children: rx.Component, label: rx.Var[str] | str, unstyled: bool = False, **props: Any
) -> rx.Component:
    """An ``rx.upload`` whose drop zone (the keyboard stop) and file input both carry ``label``
    as accessible name; ``unstyled``: ``rx.upload.root`` around a button of its own, which is
    the control and names itself, so the file input is hidden from assistive technology."""
    upload = (
        rx.upload.root(*children, **props)
        if unstyled
        else rx.upload(*children, aria_label=label, **props)
    )
    zone = upload.children[0]
    file_input = zone.children[0]
    if unstyled:  # the button inside is the control; the input is only its mechanism
        file_input.custom_attrs["aria-hidden"] = "true"
    else:
        file_input.custom_attrs["aria-label"] = label
    return upload
