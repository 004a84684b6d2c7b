"""Admin: the audit trail (names, filters, CSV export) with an integrity check."""

from __future__ import annotations

import itertools

import reflex as rx

from app.pages.layout import on_load, protected, title
from app.services.audit_trail import known_events
from components.feedback import error_callout, notice_callout
from components.forms import card, field, keyed_form, select_field, submit_button
from components.record_list import Column, record_list
from state.admin_audit import AdminAuditState, AuditRow
from state.locale import t
from state.tenant import TenantState


def _link(text: rx.Var[str], path: rx.Var[str], aria: rx.Var[str] | None = None) -> rx.Component:
    """``text`` as a link to a tenant page when ``path`` is set, else plain text."""
    return rx.cond(
        path != "",
        rx.link(text, href=(TenantState.prefix + path).to(str), aria_label=aria),
        rx.text(text),
    )


def _event(row: rx.Var[AuditRow]) -> rx.Component:
    return rx.vstack(
        rx.text(row.event, weight="medium"),
        rx.code(row.code, size="1", variant="ghost", color_scheme="gray"),
        spacing="0",
    )


def _who(row: rx.Var[AuditRow]) -> rx.Component:
    return rx.vstack(
        _link(row.actor, row.actor_link),
        rx.cond(
            (row.actor_account != "") & (row.actor_account != row.actor),
            rx.text(row.actor_account, size="1", color_scheme="gray"),
        ),
        spacing="0",
    )


def _target(row: rx.Var[AuditRow]) -> rx.Component:
    name = rx.cond(
        row.target_filter != "",
        rx.button(
            rx.icon("list_filter", size=14),
            row.target,
            size="1",
            variant="soft",
            on_click=AdminAuditState.show_target(row.target_filter),
            title=t("audit.show_target"),
            aria_label=row.target + ": " + t("audit.show_target"),
            class_name="audit-target-filter",
            style={"height": "auto", "minHeight": "var(--space-5)", "whiteSpace": "normal"},
        ),
        _link(row.target, row.target_link),
    )
    return rx.cond(
        row.target_kind != "",
        rx.vstack(rx.text(row.target_kind, size="1", color_scheme="gray"), name, spacing="0"),
        rx.fragment(),
    )


def _event_options() -> list[rx.Component]:
    """Every event the catalog names, grouped by area; labels follow the page's language."""
    groups = itertools.groupby(known_events(), key=lambda code: code.partition(".")[0])
    return [
        rx.el.option(t("audit.any_event"), value=""),
        *[
            rx.el.optgroup(
                *[rx.el.option(t(f"audit.event.{code}"), value=code) for code in codes],
                label=t(f"audit.area.{area}"),
            )
            for area, codes in groups
        ],
    ]


def _filters() -> rx.Component:
    form = AdminAuditState.filters
    return keyed_form(
        rx.grid(
            select_field(
                t("audit.event_type"), "action", *_event_options(), default_value=form.action
            ),
            select_field(
                t("audit.person"),
                "person",
                rx.el.option(t("audit.anyone"), value=""),
                rx.foreach(AdminAuditState.people, lambda p: rx.el.option(p[1], value=p[0])),
                default_value=form.person,
            ),
            field(t("audit.from"), "date_from", type="date", default_value=form.date_from),
            field(t("audit.to"), "date_to", type="date", default_value=form.date_to),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="3",
            width="100%",
        ),
        rx.flex(
            submit_button(t("audit.apply"), id="audit-apply"),
            rx.button(
                t("audit.clear"),
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=AdminAuditState.clear_filters,
                id="audit-clear",
            ),
            rx.cond(
                form.target != "",
                rx.badge(form.target_label, size="2", id="audit-target", color_scheme="blue"),
            ),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        on_submit=AdminAuditState.apply_filters,
        revision=AdminAuditState.revision,
        id="audit-filters",
        aria_label=t("audit.filters"),
    )


def _tools() -> rx.Component:
    return rx.flex(
        rx.button(
            rx.icon("shield_check"),
            t("audit.verify"),
            variant="soft",
            on_click=AdminAuditState.verify,
            id="audit-verify",
        ),
        rx.button(
            rx.icon("download"),
            t("audit.export"),
            variant="soft",
            on_click=AdminAuditState.export_csv,
            id="audit-export",
        ),
        rx.cond(
            AdminAuditState.verdict != "",
            rx.badge(
                AdminAuditState.verdict,
                id="audit-verdict",
                size="2",
                color_scheme=rx.cond(AdminAuditState.intact, "green", "red"),
                style={"whiteSpace": "normal"},
            ),
        ),
        spacing="3",
        wrap="wrap",
        align="center",
    )


def _trail() -> rx.Component:
    return record_list(
        AdminAuditState.events,
        [
            Column("#", lambda row: rx.text(row.seq)),
            Column(
                t("audit.when"),
                lambda row: rx.el.time(row.when, date_time=row.moment, title=row.moment),
            ),
            Column(t("audit.action"), _event, heading=True),
            Column(t("audit.who"), _who),
            Column(t("audit.target"), _target),
            Column(
                t("audit.details"),
                lambda row: rx.text(
                    row.details, size="1", color_scheme="gray", style={"wordBreak": "break-word"}
                ),
            ),
        ],
        name="audit",
        empty=t("audit.empty"),
    )


def admin_audit() -> rx.Component:
    """Newest events first, narrowed by the filters; verify recomputes the hash chain,
    export hands over the filtered trail as CSV."""
    return protected(
        title("audit.title"),
        rx.vstack(
            error_callout(AdminAuditState.error),
            notice_callout(AdminAuditState.notice),
            card(
                t("audit.title"),
                rx.text(t("audit.help"), size="2", color_scheme="gray"),
                _tools(),
                _filters(),
                _trail(),
                rx.cond(
                    AdminAuditState.more,
                    rx.text(t("audit.more"), size="2", color_scheme="gray", id="audit-more"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminAuditState.load)
