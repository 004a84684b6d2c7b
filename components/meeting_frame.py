"""The meeting page's own frame, instead of the site's shell.

People in a meeting come with a personal link, not an account: the frame shows the tenant's
brand and the language choice, never navigation or a sign-in button. In the room it gives the
whole screen to the meeting: one bar on top (brand, title, status), the stage and its side
panel in between, the control bar at the bottom, nothing below the fold (assets/meeting.css).
"""

from __future__ import annotations

import reflex as rx

from components.shell import Brand, FooterLinks, LanguageChoice, language_picker

T = rx.Var[str]


def _brand_mark(brand: Brand) -> rx.Component:
    """The tenant's logo (or a neutral mark) and name; not a link, so nobody leaves a meeting
    by clicking the logo."""
    return rx.el.div(
        rx.cond(
            brand.logo_url != "",
            rx.image(src=brand.logo_url, alt=brand.name, class_name="meeting-logo"),
            rx.box(
                rx.icon("handshake", size=18, color="white"),
                background=brand.accent,
                border_radius="6px",
                padding="4px",
                aria_hidden="true",
                display="flex",
            ),
        ),
        rx.text(brand.name, weight="bold", size="3", class_name="meeting-brand-name"),
        class_name="meeting-brand",
    )


def _footer(brand: Brand, links: FooterLinks) -> rx.Component:
    def legal(label: T, href: T) -> rx.Component:
        return rx.cond(href != "", rx.link(label, href=href, size="1", is_external=True))

    return rx.el.footer(
        rx.hstack(
            rx.text(brand.name, size="1", color_scheme="gray"),
            rx.spacer(),
            legal(links.imprint_label, links.imprint_href),
            legal(links.privacy_label, links.privacy_href),
            legal(links.terms_label, links.terms_href),
            spacing="4",
            wrap="wrap",
            max_width="1200px",
            margin_x="auto",
            padding="1em",
        ),
        class_name="meeting-footer",
    )


def meeting_frame(
    *content: rx.Component,
    in_room: rx.Var[bool],
    room_bar: rx.Component,
    brand: Brand,
    language: LanguageChoice,
    footer: FooterLinks,
    skip_label: T,
) -> rx.Component:
    """The page around the meeting: ``room_bar`` (title, status) joins the brand bar while
    ``in_room``, when the room fills the screen; otherwise the tenant's legal links follow
    the content (wrap it in :func:`entry_box`)."""
    header = rx.el.header(
        _brand_mark(brand),
        rx.cond(in_room, room_bar, rx.el.span(class_name="meeting-header-space")),
        language_picker(language),
        class_name="meeting-header",
    )
    return rx.el.div(
        rx.link(skip_label, href="#main", class_name="skip-link"),
        header,
        rx.el.main(
            *content,
            id="main",
            tab_index=-1,
            class_name="meeting-main",
        ),
        rx.cond(in_room, rx.fragment(), _footer(brand, footer)),
        rx.cond(brand.favicon_url != "", rx.el.link(rel="icon", href=brand.favicon_url)),
        rx.el.style(
            f".radix-themes{{--brand:{brand.primary};--brand-accent:{brand.accent};"
            f"--on-brand:{brand.on_primary}}}"
        ),
        class_name="meeting-page",
        data_room=in_room,
    )


def entry_box(*content: rx.Component) -> rx.Component:
    """Content of the steps around the room (join screen, lobby, after leaving), centred."""
    return rx.box(*content, class_name="meeting-entry")
