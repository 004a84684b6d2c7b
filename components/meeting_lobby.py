"""Who is not (yet) in the room: guests waiting in the lobby (the moderator lets them in or
declines them, from the participants panel or the banner on the stage) and, while someone is
alone, who is still expected. Pure functions of values and handlers."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from components.confirm import confirm_dialog
from components.meeting_panels import ParticipantRow

T = rx.Var[str]


@dataclasses.dataclass(frozen=True)
class LobbyTexts:
    """Labels of the lobby list and banner."""

    heading: T
    admit: T
    decline: T
    decline_question: T
    decline_detail: T
    cancel: T


def _decline(w: rx.Var[ParticipantRow], texts: LobbyTexts, on_decline: Any) -> rx.Component:
    return confirm_dialog(
        rx.button(
            texts.decline,
            size="1",
            variant="soft",
            color_scheme="red",
            aria_label=texts.decline + ": " + w.name,
            class_name="decline-guest",
        ),
        texts.decline_question,
        subject=w.name,
        consequence=texts.decline_detail,
        confirm_label=texts.decline,
        cancel_label=texts.cancel,
        on_confirm=on_decline(w.key),
        confirm_class="confirm-decline",
    )


def _admit(w: rx.Var[ParticipantRow], texts: LobbyTexts, on_admit: Any) -> rx.Component:
    return rx.button(
        texts.admit,
        size="1",
        on_click=on_admit(w.key),
        class_name="admit-guest",
        aria_label=texts.admit + ": " + w.name,
    )


def waiting_list(
    rows: rx.Var[list[ParticipantRow]], texts: LobbyTexts, *, on_admit: Any, on_decline: Any
) -> rx.Component:
    """Guests in the lobby with admit / decline (in the participants panel; hidden when
    nobody waits)."""
    return rx.cond(
        rows.length() > 0,
        rx.vstack(
            rx.heading(texts.heading, size="3", as_="h2"),
            rx.foreach(
                rows,
                lambda w: rx.hstack(
                    rx.text(w.name, size="2", weight="medium", flex="1"),
                    _admit(w, texts, on_admit),
                    _decline(w, texts, on_decline),
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


def lobby_banner(
    rows: rx.Var[list[ParticipantRow]], texts: LobbyTexts, *, on_admit: Any, on_decline: Any
) -> rx.Component:
    """The moderator's banner on the stage while guests wait: seen (and answered) without
    opening the participants panel."""
    return rx.cond(
        rows.length() > 0,
        rx.el.div(
            rx.hstack(
                rx.icon("bell_ring", size=16, aria_hidden="true"),
                rx.heading(texts.heading, size="2", as_="h2"),
                align="center",
                spacing="2",
            ),
            rx.foreach(
                rows,
                lambda w: rx.hstack(
                    rx.text(w.name, size="2", weight="medium", flex="1", min_width="0"),
                    _admit(w, texts, on_admit),
                    _decline(w, texts, on_decline),
                    align="center",
                    width="100%",
                    class_name="lobby-banner-row",
                ),
            ),
            role="region",
            aria_label=texts.heading,
            id="meeting-lobby-banner",
            class_name="meeting-lobby-banner",
        ),
        rx.fragment(),
    )


@dataclasses.dataclass(frozen=True)
class AloneTexts:
    """Labels of the stage while nobody else is there."""

    title: T
    expected: T
    unnamed: T
    host: T
    nobody: T
    invite: T
    test_center: T


def alone_card(
    expected: rx.Var[list[ParticipantRow]],
    texts: AloneTexts,
    *,
    moderator: rx.Var[bool],
    on_invite: Any,
    test_center_href: T,
) -> rx.Component:
    """Instead of an empty dark box: who is expected, inviting someone (the moderator), and
    the test center to check camera and connection meanwhile."""

    def person(p: rx.Var[ParticipantRow]) -> rx.Component:
        return rx.el.li(
            rx.icon("user_round", size=14, aria_hidden="true"),
            rx.cond(p.name != "", p.name, texts.unnamed),
            rx.cond(p.role == "moderator", rx.badge(texts.host, size="1"), rx.fragment()),
            class_name="meeting-expected-person",
        )

    return rx.vstack(
        rx.heading(texts.title, size="4", as_="h2"),
        rx.cond(
            expected.length() > 0,
            rx.vstack(
                rx.text(texts.expected, size="2", weight="medium", class_name="meeting-muted"),
                rx.el.ul(rx.foreach(expected, person), id="meeting-expected"),
                spacing="1",
                align="center",
            ),
            rx.cond(moderator, rx.text(texts.nobody, size="2"), rx.fragment()),
        ),
        rx.cond(
            moderator,
            rx.button(
                rx.icon("user_plus", size=16),
                texts.invite,
                on_click=on_invite,
                id="meeting-alone-invite",
            ),
            rx.fragment(),
        ),
        rx.link(
            rx.icon("activity", size=14, aria_hidden="true"),
            texts.test_center,
            href=test_center_href,
            is_external=True,
            size="2",
            id="meeting-alone-test-center",
            class_name="meeting-alone-link",
        ),
        align="center",
        spacing="3",
        class_name="meeting-alone-card",
    )
