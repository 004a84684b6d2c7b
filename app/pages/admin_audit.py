"""Admin: the audit trail with an integrity check."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout
from components.forms import card
from state.admin_audit import AdminAuditState
from state.locale import t


def admin_audit() -> rx.Component:
    """Newest events first; the verify button recomputes the hash chain."""
    return protected(
        title("audit.title"),
        rx.vstack(
            error_callout(AdminAuditState.error),
            card(
                t("audit.title"),
                rx.hstack(
                    rx.button(
                        rx.icon("shield_check"),
                        t("audit.verify"),
                        on_click=AdminAuditState.verify,
                        id="audit-verify",
                    ),
                    rx.cond(
                        AdminAuditState.verdict != "",
                        rx.badge(
                            AdminAuditState.verdict,
                            id="audit-verdict",
                            size="2",
                            color_scheme=rx.cond(AdminAuditState.intact, "green", "red"),
                        ),
                    ),
                    wrap="wrap",
                    align="center",
                ),
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("#"),
                                rx.table.column_header_cell(t("audit.when")),
                                rx.table.column_header_cell(t("audit.who")),
                                rx.table.column_header_cell(t("audit.action")),
                                rx.table.column_header_cell(t("audit.target")),
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                AdminAuditState.events,
                                lambda e: rx.table.row(
                                    rx.table.cell(e["seq"]),
                                    rx.table.cell(e["when"]),
                                    rx.table.cell(e["who"]),
                                    rx.table.cell(rx.code(e["action"]), title=e["details"]),
                                    rx.table.cell(e["target"]),
                                ),
                            )
                        ),
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                rx.cond(
                    AdminAuditState.events.length() == 0,
                    rx.text(t("audit.empty"), color_scheme="gray"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminAuditState.load)
