"""The meeting room's pieces: video stage, control bar, device choice, quality badge, and the
hidden buttons through which the browser's media client (assets/meeting_room.js) reports back.

Pure functions of values and handlers; app/pages/meeting.py binds them to the states.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

T = rx.Var[str]


def media_scripts() -> rx.Component:
    """The browser's WebRTC client and its binding to this page."""
    return rx.fragment(
        rx.script(src="/devices.js"),
        rx.script(src="/meeting.js"),
        rx.script(src="/meeting_room.js"),
    )


def bridge(handlers: dict[str, Any], *, upload_ids: tuple[str, ...] = ()) -> rx.Component:
    """Hidden buttons the media client clicks (``{element id: handler}``) and hidden upload
    fields it fills (a snapshot)."""
    return rx.box(
        *[
            rx.el.button(id=element_id, on_click=handler, tab_index=-1, type="button")
            for element_id, handler in handlers.items()
        ],
        *[rx.upload(rx.fragment(), id=upload_id, max_files=1) for upload_id in upload_ids],
        display="none",
        aria_hidden="true",
    )


def video_stage(self_label: T) -> rx.Component:
    """Remote tiles (added by the media client) and one's own picture."""
    return rx.box(
        rx.el.div(id="meeting-grid", role="region", aria_label=self_label),
        rx.box(
            rx.el.video(
                id="meeting-self",
                auto_play=True,
                muted=True,
                plays_inline=True,
                aria_label=self_label,
            ),
            class_name="meeting-self-box",
        ),
        position="relative",
        width="100%",
        display="flex",
        flex_direction="column",
        gap="0.5rem",
    )


@dataclasses.dataclass(frozen=True)
class Toggle:
    """A control bar button: icon, label for screen readers and tooltip, pressed state."""

    id: str
    icon: rx.Var[str] | str
    label: T
    on_click: Any
    pressed: rx.Var[bool] | bool = False
    color: str = "gray"
    visible: rx.Var[bool] | bool = True


def _toggle(button: Toggle) -> rx.Component:
    control = rx.tooltip(
        rx.icon_button(
            rx.icon(button.icon),
            id=button.id,
            on_click=button.on_click,
            aria_label=button.label,
            aria_pressed=button.pressed,
            color_scheme=button.color,  # type: ignore[arg-type]
            variant=rx.cond(button.pressed, "solid", "soft"),
            size="3",
            radius="full",
        ),
        content=button.label,
    )
    return rx.cond(button.visible, control, rx.fragment())


def control_bar(*buttons: Toggle, label: T) -> rx.Component:
    """The meeting's controls, centred, wrapping on narrow screens."""
    return rx.flex(
        *[_toggle(b) for b in buttons],
        role="toolbar",
        aria_label=label,
        gap="3",
        wrap="wrap",
        justify="center",
        width="100%",
        padding_y="0.5em",
    )


@dataclasses.dataclass(frozen=True)
class DeviceTexts:
    """Labels of the device choice."""

    camera: T
    microphone: T
    speaker: T
    fallback: T  # "Device" (numbered) while the browser hides device names


def device_fields(texts: DeviceTexts) -> rx.Component:
    """Camera, microphone and speaker choice; the media client fills in the browser's devices
    (a field stays hidden when the browser offers no such device)."""

    def one(kind: str, label: T, element_id: str) -> rx.Component:
        return rx.vstack(
            rx.el.label(label, html_for=element_id, style={"fontSize": "0.9em"}),
            rx.el.select(
                id=element_id,
                name=element_id,
                data_device_kind=kind,
                data_fallback=texts.fallback,
                class_name="device-select",
            ),
            spacing="1",
            width="100%",
            data_device_field="",
        )

    return rx.grid(
        one("videoinput", texts.camera, "meeting-camera-select"),
        one("audioinput", texts.microphone, "meeting-mic-select"),
        one("audiooutput", texts.speaker, "meeting-speaker-select"),
        columns=rx.breakpoints(initial="1", sm="3"),
        spacing="3",
        width="100%",
    )


def preview_video(label: T) -> rx.Component:
    """One's own camera on the join screen (started by the media client)."""
    return rx.el.video(
        id="meeting-preview",
        auto_play=True,
        muted=True,
        plays_inline=True,
        aria_label=label,
        on_mount=rx.call_script("window.consilioRoom && window.consilioRoom.preview()"),
    )


def quality_badge(good: T, fair: T, poor: T, label: T) -> rx.Component:
    """Connection quality, updated by the media client every few seconds."""
    return rx.el.span(
        id="meeting-quality",
        data_good=good,
        data_fair=fair,
        data_poor=poor,
        role="status",
        aria_label=label,
        class_name="meeting-quality",
    )
