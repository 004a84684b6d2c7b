"""An image field: the current image, a drop zone, upload and remove buttons."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from components.file_input import labelled_upload


@dataclasses.dataclass(frozen=True)
class ImageUpload:
    """Texts, current image and handlers of one image field."""

    upload_id: str
    label: rx.Var[str]
    help_text: rx.Var[str]
    current_url: rx.Var[str]
    empty_text: rx.Var[str]
    choose_text: rx.Var[str]
    upload_label: rx.Var[str]
    remove_label: rx.Var[str]
    accept: dict[str, list[str]]
    max_bytes: int
    on_upload: Any  # handler already bound to rx.upload_files(upload_id=...)
    on_remove: Any


def image_upload(field: ImageUpload) -> rx.Component:
    """Render one image field (keyboard: the drop zone opens the file chooser on Enter)."""
    chosen = rx.selected_files(field.upload_id)
    return rx.vstack(
        rx.text(field.label, weight="medium", size="2"),
        rx.hstack(
            rx.box(
                rx.cond(
                    field.current_url != "",
                    rx.image(
                        src=field.current_url,
                        alt=field.label,
                        max_height="48px",
                        max_width="160px",
                        id=f"{field.upload_id}-current",
                    ),
                    rx.text(field.empty_text, size="1", color_scheme="gray"),
                ),
                min_width="64px",
            ),
            labelled_upload(
                rx.text(
                    rx.cond(chosen.length() > 0, chosen[0], field.choose_text),
                    size="2",
                    align="center",
                ),
                id=field.upload_id,
                accept=field.accept,
                max_files=1,
                max_size=field.max_bytes,
                border="1px dashed var(--gray-7)",
                padding="0.75em",
                border_radius="8px",
                flex="1",
                label=field.choose_text,
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.text(field.help_text, size="1", color_scheme="gray"),
        rx.hstack(
            rx.button(
                field.upload_label,
                size="2",
                on_click=field.on_upload,
                disabled=chosen.length() == 0,
                id=f"{field.upload_id}-submit",
                type="button",
            ),
            rx.cond(
                field.current_url != "",
                rx.button(
                    field.remove_label,
                    size="2",
                    variant="soft",
                    color_scheme="red",
                    on_click=field.on_remove,
                    id=f"{field.upload_id}-remove",
                    type="button",
                ),
            ),
            spacing="2",
        ),
        spacing="2",
        width="100%",
        align="stretch",
    )
