"""Reflex's upload drop zone with a file input that screen readers can name.

`rx.upload` renders react-dropzone's hidden ``<input type=file>`` without a label; assistive
technology reaches it and announces nothing. This wrapper gives it the zone's accessible name.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


def labelled_upload(
    *children: rx.Component, label: rx.Var[str] | str, **props: Any
) -> rx.Component:
    """An ``rx.upload`` whose drop zone and file input both carry ``label`` as accessible name."""
    upload = rx.upload(*children, aria_label=label, **props)
    zone = upload.children[0]
    file_input = zone.children[0]
    file_input.custom_attrs["aria-label"] = label
    return upload
