"""Super admin: tenants of the platform."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.confirm import confirm_button
from components.feedback import error_callout, notice_callout
from components.forms import card, field, form_card, submit_button
from components.record_list import Actions, Column, record_list
from state.locale import t
from state.platform_tenants import PlatformTenantsState, TenantRow


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
                subject=row["host"] + " · " + row["tenant"],
                consequence=t("tenants.refuse_consequence"),
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


# The server's rule (services.tenants.SLUG_RE) for the browser's own check. Chromium compiles
# a pattern with the ``v`` flag, where a ``-`` inside a class must be escaped: unescaped, the
# pattern is invalid and the browser silently skips the check.
SLUG_PATTERN = r"[a-z0-9](?:[a-z0-9\-]{0,38}[a-z0-9])?"


def _create_form() -> rx.Component:
    return form_card(
        t("tenants.create"),
        rx.grid(
            field(
                t("tenants.slug"),
                "slug",
                required=True,
                pattern=SLUG_PATTERN,
                max_length=40,
                title=t("tenants.slug_help"),
                help_text=t("tenants.slug_help"),
            ),
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
        revision=PlatformTenantsState.create_revision,
    )


def _tenant_actions(row: rx.Var[TenantRow]) -> rx.Component:
    return rx.cond(
        row.own,
        rx.fragment(),
        _suspend_or_activate(row),
    )


def _suspend_or_activate(row: rx.Var[TenantRow]) -> rx.Component:
    return rx.cond(
        row.active,
        confirm_button(
            t("tenants.suspend"),
            t("tenants.suspend_question").replace("{name}", row.name),
            subject=row.name + " (" + row.slug + ")",
            consequence=t("tenants.suspend_consequence"),
            confirm_label=t("tenants.suspend"),
            cancel_label=t("common.cancel"),
            on_confirm=PlatformTenantsState.set_active(row.id, False),
            size="1",
            class_name="tenant-suspend",
        ),
        rx.button(
            t("tenants.activate"),
            size="1",
            variant="soft",
            on_click=PlatformTenantsState.set_active(row.id, True),
            class_name="tenant-activate",
        ),
    )


def _tenant_list() -> rx.Component:
    return card(
        t("tenants.title"),
        record_list(
            PlatformTenantsState.rows,
            [
                Column(t("tenants.name"), lambda row: rx.text(row.name), heading=True),
                Column(t("tenants.slug"), lambda row: rx.code(row.slug)),
                Column(
                    t("common.status"),
                    lambda row: rx.badge(
                        rx.cond(row.active, t("tenants.active"), t("tenants.suspended")),
                        color_scheme=rx.cond(row.active, "green", "gray"),
                    ),
                ),
                Column(
                    t("tenants.domains"),
                    lambda row: rx.text(row.domains),
                ),
                Column(t("tenants.users"), lambda row: rx.text(row.users)),
            ],
            actions=Actions(t("common.actions"), _tenant_actions),
            name="tenants",
        ),
    )


def platform_tenants() -> rx.Component:
    """Tenant list, creation form (with the first admin's invitation) and the domains waiting
    for the operator's approval."""
    return protected(
        title("tenants.title"),
        rx.vstack(
            error_callout(PlatformTenantsState.error),
            notice_callout(PlatformTenantsState.notice),
            _create_form(),
            _pending_domains(),
            _tenant_list(),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("super_admin", PlatformTenantsState.load)
