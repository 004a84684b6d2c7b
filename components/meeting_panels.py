"""The meeting room's participants panel (with the moderator's actions, removal confirmed);
the lobby is components/meeting_lobby.py, the chat components/meeting_chat.py. Pure functions
of values and handlers; app/pages/meeting_sections.py binds them.

The icon buttons carry their label as ``data-tip``: assets/meeting.css shows it as a tooltip
on hover, keyboard focus and touch (a ``title`` shows on hover only).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from components.confirm import confirm_dialog

T = rx.Var[str]


@dataclasses.dataclass
class ParticipantRow:
    """One line of the participants list (or the lobby), as the page shows it."""

    key: str = ""
    name: str = ""
    role: str = ""
    online: bool = False
    hand: bool = False
    presenter: bool = False
    me: bool = False


@dataclasses.dataclass(frozen=True)
class RosterTexts:
    """Labels of the participants list."""

    heading: T
    you: T
    host: T
    presenter: T
    hand: T
    offline: T
    make_presenter: T
    mute: T
    remove: T
    lower_hand: T
    snapshot: T
    remove_question: T
    remove_detail: T
    cancel: T


def participants_list(
    rows: rx.Var[list[ParticipantRow]],
    texts: RosterTexts,
    *,
    moderator: rx.Var[bool],
    on_presenter: Any,
    on_mute: Any,
    on_remove: Any,
    on_lower_hand: Any,
    on_snapshot: Any,
) -> rx.Component:
    """Everyone in the room, with the moderator's actions next to each other person."""

    def row(p: rx.Var[ParticipantRow]) -> rx.Component:
        actions = rx.hstack(
            rx.cond(
                p.hand,
                rx.icon_button(
                    rx.icon("hand"),
                    size="1",
                    variant="ghost",
                    aria_label=texts.lower_hand + ": " + p.name,
                    data_tip=texts.lower_hand,
                    on_click=on_lower_hand(p.key),
                ),
                rx.fragment(),
            ),
            rx.cond(
                p.presenter,
                rx.fragment(),
                rx.icon_button(
                    rx.icon("presentation"),
                    size="1",
                    variant="soft",
                    aria_label=texts.make_presenter + ": " + p.name,
                    data_tip=texts.make_presenter,
                    on_click=on_presenter(p.key),
                    class_name="make-presenter",
                ),
            ),
            rx.cond(
                p.me,
                rx.fragment(),
                rx.hstack(
                    rx.icon_button(
                        rx.icon("mic_off"),
                        size="1",
                        variant="soft",
                        aria_label=texts.mute + ": " + p.name,
                        data_tip=texts.mute,
                        on_click=on_mute(p.key),
                        class_name="mute-participant",
                    ),
                    rx.icon_button(
                        rx.icon("camera"),
                        size="1",
                        variant="soft",
                        aria_label=texts.snapshot + ": " + p.name,
                        data_tip=texts.snapshot,
                        on_click=on_snapshot(p.key),
                        class_name="snapshot-participant",
                    ),
                    confirm_dialog(
                        rx.icon_button(
                            rx.icon("user_x"),
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            aria_label=texts.remove + ": " + p.name,
                            data_tip=texts.remove,
                            class_name="remove-participant",
                        ),
                        texts.remove_question,
                        subject=p.name,
                        consequence=texts.remove_detail,
                        confirm_label=texts.remove,
                        cancel_label=texts.cancel,
                        on_confirm=on_remove(p.key),
                        confirm_class="confirm-remove",
                    ),
                    spacing="1",
                ),
            ),
            spacing="1",
        )
        return rx.hstack(
            rx.box(
                width="8px",
                height="8px",
                border_radius="50%",
                background=rx.cond(p.online, "var(--green-9)", "var(--gray-7)"),
                flex_shrink="0",
                aria_hidden="true",
            ),
            rx.vstack(
                rx.text(
                    p.name,
                    rx.cond(p.me, rx.text.span(" ", texts.you), rx.fragment()),
                    size="2",
                    weight="medium",
                ),
                rx.hstack(
                    rx.cond(
                        p.online,
                        rx.fragment(),
                        rx.text(texts.offline, size="1", color_scheme="gray"),
                    ),
                    rx.cond(p.role == "moderator", rx.badge(texts.host), rx.fragment()),
                    rx.cond(
                        p.presenter,
                        rx.badge(texts.presenter, color_scheme="green"),
                        rx.fragment(),
                    ),
                    rx.cond(
                        p.hand,
                        rx.badge(rx.icon("hand", size=12), texts.hand, color_scheme="amber"),
                        rx.fragment(),
                    ),
                    spacing="1",
                ),
                spacing="0",
                flex="1",
            ),
            rx.cond(moderator, actions, rx.fragment()),
            align="center",
            width="100%",
            class_name="participant-row",
            data_participant=p.key,
            data_name=p.name,
        )

    return rx.vstack(
        rx.heading(texts.heading, size="3", as_="h2"),
        rx.el.ul(
            rx.foreach(rows, lambda p: rx.el.li(row(p), list_style="none")),
            style={"padding": "0", "margin": "0", "width": "100%"},
            id="meeting-participants",
        ),
        width="100%",
        spacing="2",
    )
