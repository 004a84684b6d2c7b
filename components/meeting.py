"""The meeting room's pieces: video stage, control bar, device choice, quality badge, and the
hidden buttons through which the browser's media client (assets/meeting_room.js) reports back.

Pure functions of values and handlers; app/pages/meeting.py binds them to the states. How the
room fills the screen (stage, self view in a corner, panel, control bar) is in
assets/meeting.css; assets/meeting_stage.js places the video tiles to fit the stage.
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
        rx.script(src="/meeting_stage.js"),
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


def video_stage(
    label: T, self_label: T, *, overlays: tuple[rx.Component, ...], alone: rx.Component
) -> rx.Component:
    """The stage: remote tiles (added and placed by the media client to fit), one's own
    picture small in a corner, ``alone`` while nobody else's picture is there (CSS hides it
    as soon as a tile is), and ``overlays`` (notices, the lobby) along its top edge."""
    return rx.el.section(
        rx.el.div(id="meeting-grid"),
        rx.box(alone, class_name="meeting-alone"),
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
        rx.box(*overlays, class_name="meeting-stage-top"),
        class_name="meeting-stage",
        aria_label=label,
    )


@dataclasses.dataclass(frozen=True)
class Toggle:
    """A control bar button: icon, label (its accessible name, shown beside the icon where
    there is room and as a tooltip on hover, keyboard focus and touch), pressed state."""

    id: str
    icon: rx.Var[str] | str
    label: T
    on_click: Any = None
    pressed: rx.Var[bool] | bool | None = None  # None: an action, not an on/off switch
    color: str = "gray"
    solid: bool = False  # a strong button (leave, end) rather than a soft one
    visible: rx.Var[bool] | bool = True
    badge: rx.Var[int] | None = None  # a count shown on the button (waiting, unread)
    badge_label: T | str = ""  # what the count means, for screen readers
    controls: str = ""  # id of the panel this button opens and closes
    expanded: rx.Var[bool] | None = None


def control_button(button: Toggle) -> rx.Component:
    """One button of the control bar (not yet hidden when ``visible`` is false)."""
    props: dict[str, Any] = {}
    if button.pressed is not None:
        props["aria_pressed"] = button.pressed
    if button.controls:
        props["aria_controls"] = button.controls
        props["aria_expanded"] = button.expanded
    if button.on_click is not None:
        props["on_click"] = button.on_click
    name = button.label
    badge: list[rx.Component] = []
    if button.badge is not None:
        counted = button.label + " (" + button.badge.to_string() + " " + button.badge_label + ")"
        name = rx.cond(button.badge > 0, counted, button.label).to(str)
        badge = [
            rx.cond(
                button.badge > 0,
                rx.el.span(button.badge, class_name="meeting-control-badge", aria_hidden="true"),
                rx.fragment(),
            )
        ]
    if button.solid:
        variant: Any = "solid"
    elif button.pressed is not None:
        variant = rx.cond(button.pressed, "solid", "soft")
    else:
        variant = "soft"
    return rx.button(
        rx.icon(button.icon, size=20, aria_hidden="true"),
        rx.el.span(button.label, class_name="meeting-control-label", aria_hidden="true"),
        *badge,
        id=button.id,
        type="button",
        aria_label=name,
        data_tip=button.label,
        color_scheme=button.color,  # type: ignore[arg-type]
        variant=variant,
        class_name="meeting-control",
        **props,
    )


def control(button: Toggle) -> rx.Component:
    """A control bar button, present only when ``visible``."""
    return rx.cond(button.visible, control_button(button), rx.fragment())


def control_bar(*controls: rx.Component, label: T) -> rx.Component:
    """The meeting's controls in one bar at the bottom of the screen, always in view; arrow
    keys move between them as in any toolbar (Tab still visits each)."""
    return rx.el.div(
        *controls,
        role="toolbar",
        aria_label=label,
        class_name="meeting-controls",
    )


def control_gap() -> rx.Component:
    """Space between groups of the control bar (the red leave / end group sits apart)."""
    return rx.el.span(class_name="meeting-controls-gap", aria_hidden="true")


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
        class_name="meeting-devices",
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
