"""A list of mails and the opened one, shown as its recipient sees it (sandboxed frame).

Rows are dicts with id, created, to, subject, status_key, error and optionally tenant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx


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
    """The mail table and, below it, the opened mail."""
    t = box.text
    headers = [
        t("mail.created"),
        *([t("mail.tenant")] if box.show_tenant else []),
        t("mail.to"),
        t("mail.subject"),
        t("common.status"),
        "",
    ]

    def row(m: rx.Var[dict[str, str]]) -> rx.Component:
        return rx.table.row(
            rx.table.cell(m["created"]),
            *([rx.table.cell(m["tenant"])] if box.show_tenant else []),
            rx.table.cell(m["to"]),
            rx.table.cell(m["subject"]),
            rx.table.cell(rx.badge(t(m["status_key"]), title=m["error"])),
            rx.table.cell(
                rx.button(t("mail.open"), size="1", variant="soft", on_click=box.on_open(m["id"]))
            ),
        )

    return rx.vstack(
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(box.rows, row)),
                id="outbox-table",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.cond(box.rows.length() == 0, rx.text(t("mail.empty"), color_scheme="gray")),
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
