"""Super admin: tenants of the platform."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.confirm import confirm_button
from components.feedback import error_callout, notice_callout
from components.forms import card, field, form_card, submit_button
from state.locale import t
from state.platform_tenants import PlatformTenantsState


def _pending_domain(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(row["host"], weight="bold", style={"wordBreak": "break-all"}),
            rx.text(
                row["tenant"],
                " · ",
                t("tenants.requested"),
                " ",
                row["requested"],
                size="2",
                color_scheme="gray",
            ),
            spacing="1",
        ),
        rx.spacer(),
        rx.hstack(
            rx.button(
                t("tenants.approve"),
                size="2",
                variant="soft",
                on_click=PlatformTenantsState.approve_domain(row["id"]),
                class_name="domain-approve",
            ),
            confirm_button(
                t("tenants.refuse"),
                t("tenants.refuse_question"),
                subject=row["host"],
                confirm_label=t("tenants.refuse"),
                cancel_label=t("common.cancel"),
                on_confirm=PlatformTenantsState.refuse_domain(row["id"]),
                class_name="domain-refuse",
            ),
            spacing="2",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding="0.75em",
        border="1px solid var(--gray-5)",
        border_radius="8px",
        class_name="pending-domain",
    )


def _pending_domains() -> rx.Component:
    """Domains tenants asked for and have not proven: the operator may vouch for them."""
    return card(
        t("tenants.pending_domains"),
        rx.text(t("tenants.pending_help"), size="2", color_scheme="gray"),
        rx.cond(
            PlatformTenantsState.pending.length() > 0,
            rx.vstack(
                rx.foreach(PlatformTenantsState.pending, _pending_domain),
                spacing="2",
                width="100%",
            ),
            rx.text(t("tenants.pending_none"), size="2"),
        ),
        id="pending-domains",
    )


def platform_tenants() -> rx.Component:
    """Tenant list, creation form (with the first admin's invitation) and the domains waiting
    for the operator's approval."""
    return protected(
        title("tenants.title"),
        rx.vstack(
            error_callout(PlatformTenantsState.error),
            notice_callout(PlatformTenantsState.notice),
            form_card(
                t("tenants.create"),
                rx.grid(
                    field(t("tenants.slug"), "slug", required=True, pattern="[a-z0-9-]{1,40}"),
                    field(t("tenants.name"), "name", required=True),
                    field(t("tenants.domains"), "domains", help_text=t("branding.domains_help")),
                    field(t("tenants.admin_email"), "admin_email", type="email", required=True),
                    field(t("tenants.admin_name"), "admin_name", required=True),
                    columns=rx.breakpoints(initial="1", md="3"),
                    spacing="3",
                    width="100%",
                ),
                rx.box(submit_button(t("tenants.create"), id="tenant-create")),
                on_submit=PlatformTenantsState.create,
                reset_on_submit=True,
            ),
            _pending_domains(),
            card(
                t("tenants.title"),
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(t("tenants.name")),
                                rx.table.column_header_cell(t("tenants.slug")),
                                rx.table.column_header_cell(t("tenants.domains")),
                                rx.table.column_header_cell(t("tenants.users")),
                                rx.table.column_header_cell(t("common.actions")),
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                PlatformTenantsState.rows,
                                lambda row: rx.table.row(
                                    rx.table.cell(row.name),
                                    rx.table.cell(rx.code(row.slug)),
                                    rx.table.cell(row.domains),
                                    rx.table.cell(row.users),
                                    rx.table.cell(
                                        rx.cond(
                                            row.active,
                                            rx.button(
                                                t("tenants.suspend"),
                                                size="1",
                                                variant="soft",
                                                color_scheme="red",
                                                on_click=PlatformTenantsState.set_active(
                                                    row.id, False
                                                ),
                                            ),
                                            rx.button(
                                                t("tenants.activate"),
                                                size="1",
                                                variant="soft",
                                                on_click=PlatformTenantsState.set_active(
                                                    row.id, True
                                                ),
                                            ),
                                        )
                                    ),
                                ),
                            )
                        ),
                        width="100%",
                        id="tenants-table",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("super_admin", PlatformTenantsState.load)
