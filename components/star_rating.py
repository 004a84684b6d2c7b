"""A rating of 1 to 5 stars that works by mouse, touch and keyboard.

It is a radio group (Radix's, as Radix Themes' radio cards): Tab reaches the chosen star
(or the first), the arrow keys move along the stars and choose, Space chooses; each star is
named "3 of 5 stars" for screen readers. The stars up to the chosen one are filled, and up
to the pointer while hovering.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

STARS = 5
FILLED = "var(--amber-9)"
OUTLINE = "var(--amber-11)"  # 3:1 and more against the card, for the chosen stars
EMPTY = "var(--gray-9)"

_STYLE = {
    "display": "flex",
    "gap": "0.25rem",
    "& .star-choice": {
        "padding": "0.25rem",
        "minWidth": "44px",
        "minHeight": "44px",
        "justifyContent": "center",
        "alignItems": "center",
        "background": "transparent",
        "boxShadow": "none",
        "border": "none",
        "cursor": "pointer",
        "color": EMPTY,
        "borderRadius": "var(--radius-2)",
    },
    "& .star-choice::before, & .star-choice::after": {"display": "none"},
    "& .star-choice svg": {"fill": "transparent", "transition": "fill 80ms, color 80ms"},
    # Chosen: that star and every star before it.
    "& .star-choice[data-state=checked], & .star-choice:has(~ .star-choice[data-state=checked])": {
        "color": OUTLINE,
    },
    "& .star-choice[data-state=checked] svg, "
    "& .star-choice:has(~ .star-choice[data-state=checked]) svg": {"fill": FILLED},
    # Hovering previews a choice: up to the pointer, nothing after it.
    "&:hover .star-choice": {"color": EMPTY},
    "&:hover .star-choice svg": {"fill": "transparent"},
    "&:hover .star-choice:hover, &:hover .star-choice:has(~ .star-choice:hover)": {
        "color": OUTLINE,
    },
    "&:hover .star-choice:hover svg, &:hover .star-choice:has(~ .star-choice:hover) svg": {
        "fill": "var(--amber-8)",
    },
    "& .star-choice:focus-visible": {
        "outline": "2px solid var(--focus-8)",
        "outlineOffset": "2px",
    },
}


def star_label(template: rx.Var[str], stars: int | rx.Var[int]) -> rx.Var[str]:
    """``template`` ("{n} of 5 stars", translated) for ``stars``."""
    return template.split("{n}").join(rx.Var.create(stars).to_string()).to(str)


def star_rating(
    label: rx.Var[str],
    *,
    labelled_by: str,
    on_change: Any,
    id: str,
    name: str = "stars",
) -> rx.Component:
    """Five stars, none chosen when they appear.

    The group keeps its choice in the browser and reports each change: a choice the server
    echoed back would arrive late while arrow keys move on, and pull the stars back.

    Args:
        label: the translated "{n} of 5 stars", naming each star.
        labelled_by: the id of the question the stars answer.
        on_change: gets the chosen number as a string ("1" to "5").
        id: the group's id.
        name: the form field the choice is submitted as.
    """
    return rx.radio_cards.root(
        *[
            rx.radio_cards.item(
                rx.icon("star", size=32, stroke_width=1.75),
                value=str(n),
                aria_label=star_label(label, n),
                title=star_label(label, n),
                class_name="star-choice",
            )
            for n in range(1, STARS + 1)
        ],
        default_value="",
        on_value_change=on_change,
        aria_labelledby=labelled_by,
        id=id,
        name=name,
        style=_STYLE,
    )
