"""The meeting room's side panels: participants (with the moderator's actions) and the lobby
(the chat is components/meeting_chat.py). Pure functions of values and handlers;
app/pages/meeting_sections.py binds them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

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
                    aria_label=texts.lower_hand,
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
                    title=texts.make_presenter,
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
                        title=texts.mute,
                        on_click=on_mute(p.key),
                        class_name="mute-participant",
                    ),
                    rx.icon_button(
                        rx.icon("camera"),
                        size="1",
                        variant="soft",
                        aria_label=texts.snapshot + ": " + p.name,
                        title=texts.snapshot,
                        on_click=on_snapshot(p.key),
                        class_name="snapshot-participant",
                    ),
                    rx.icon_button(
                        rx.icon("user_x"),
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        aria_label=texts.remove + ": " + p.name,
                        title=texts.remove,
                        on_click=on_remove(p.key),
                        class_name="remove-participant",
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
                title=rx.cond(p.online, "", texts.offline),
            ),
            rx.vstack(
                rx.text(
                    p.name,
                    rx.cond(p.me, rx.text.span(" ", texts.you), rx.fragment()),
                    size="2",
                    weight="medium",
                ),
                rx.hstack(
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


def waiting_list(
    rows: rx.Var[list[ParticipantRow]],
    heading: T,
    admit: T,
    decline: T,
    *,
    on_admit: Any,
    on_decline: Any,
) -> rx.Component:
    """Guests in the lobby with the moderator's admit / decline buttons (hidden when empty)."""
    return rx.cond(
        rows.length() > 0,
        rx.vstack(
            rx.heading(heading, size="3", as_="h2"),
            rx.foreach(
                rows,
                lambda w: rx.hstack(
                    rx.text(w.name, size="2", weight="medium", flex="1"),
                    rx.button(
                        admit,
                        size="1",
                        on_click=on_admit(w.key),
                        class_name="admit-guest",
                        aria_label=admit + ": " + w.name,
                    ),
                    rx.button(
                        decline,
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=on_decline(w.key),
                        aria_label=decline + ": " + w.name,
                    ),
                    align="center",
                    width="100%",
                    class_name="waiting-row",
                ),
            ),
            width="100%",
            spacing="2",
            padding="0.75em",
            border="1px solid var(--amber-7)",
            border_radius="var(--radius-3)",
            id="meeting-waiting",
        ),
        rx.fragment(),
    )
