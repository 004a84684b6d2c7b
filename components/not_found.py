"""The view of a page that is not there: what happened, in words, and the ways back."""

from __future__ import annotations

import reflex as rx


def lost_view(
    icon: str,
    title: rx.Var[str] | str,
    text: rx.Var[str] | str,
    *ways_back: rx.Component,
    view_id: str,
) -> rx.Component:
    """A centred notice with a heading (the page's h1, ``id=view_id``) and links back.

    Args:
        icon: a Lucide icon name for the picture above the heading.
        title: the heading.
        text: one or two sentences saying what happened and what to do.
        ways_back: links (usually buttons) to places that exist.
        view_id: the heading's id (tests and skip links find it).
    """
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=48, color="var(--brand)", aria_hidden="true"),
            rx.heading(title, size="7", as_="h1", id=view_id, align="center"),
            rx.text(text, color_scheme="gray", size="3", align="center", max_width="32em"),
            rx.flex(*ways_back, spacing="3", wrap="wrap", justify="center"),
            align="center",
            spacing="4",
            width="100%",
        ),
        padding_top=["6vh", "10vh"],
        padding_bottom="4vh",
        width="100%",
    )


def way_back(
    label: rx.Var[str] | str,
    href: rx.Var[str] | str,
    icon: str,
    *,
    link_id: str,
    variant: str = "solid",
) -> rx.Component:
    """A link that looks like a button (one element: a link, as screen readers announce it),
    to a page that exists."""
    return rx.button(
        rx.link(
            rx.icon(icon, size=16, aria_hidden="true"),
            label,
            href=href,
            id=link_id,
            underline="none",
        ),
        as_child=True,
        size="3",
        variant=variant,
    )
