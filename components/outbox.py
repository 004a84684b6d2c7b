"""A list of mails and the opened one, shown as its recipient sees it (sandboxed frame).

Rows are dicts with id, created, to, subject, status_key, error and optionally tenant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx

from components.record_list import Actions, Column, record_list


@dataclasses.dataclass(frozen=True)
class Outbox:
    """The mails to list, the opened one and what the buttons do."""

    rows: rx.Var[list[dict[str, str]]]
    opened_subject: rx.Var[str]
    opened_html: rx.Var[str]
    on_open: Callable[[rx.Var[str]], Any]
    on_close: Any
    text: Callable[[Any], rx.Var[str]]  # message key (or a var holding one) -> text
    show_tenant: bool = False


def outbox(box: Outbox) -> rx.Component:
    """The mail table (cards on a phone) and, below it, the opened mail."""
    t = box.text
    columns = [
        Column(t("mail.created"), lambda m: rx.text(m["created"])),
        *([Column(t("mail.tenant"), lambda m: rx.text(m["tenant"]))] if box.show_tenant else []),
        Column(t("mail.to"), lambda m: rx.text(m["to"])),
        Column(t("mail.subject"), lambda m: rx.text(m["subject"]), heading=True),
        Column(
            t("common.status"),
            lambda m: rx.vstack(
                rx.badge(t(m["status_key"]), title=m["error"]),
                rx.cond(m["error"] != "", rx.text(m["error"], size="1", color_scheme="red")),
                spacing="1",
            ),
        ),
    ]

    def open_button(m: rx.Var[dict[str, str]]) -> rx.Component:
        return rx.button(
            t("mail.open"),
            size="1",
            variant="soft",
            on_click=box.on_open(m["id"]),
            aria_label=t("mail.open") + ": " + m["subject"],
        )

    return rx.vstack(
        record_list(
            box.rows,
            columns,
            actions=Actions(t("common.actions"), open_button),
            name="outbox",
            empty=t("mail.empty"),
        ),
        rx.cond(
            box.opened_html != "",
            rx.vstack(
                rx.hstack(
                    rx.heading(box.opened_subject, size="3"),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("x"),
                        variant="ghost",
                        on_click=box.on_close,
                        aria_label=t("common.cancel"),
                    ),
                ),
                # sandbox="": the mail's HTML can neither run scripts nor reach the app.
                rx.el.iframe(
                    src_doc=box.opened_html,
                    title=box.opened_subject,
                    sandbox="",
                    id="opened-mail",
                    style={"width": "100%", "height": "420px", "border": "1px solid var(--gray-6)"},
                ),
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )
