"""The branding page's custom domains: add one, prove it with a DNS TXT record, remove it."""

from __future__ import annotations

import reflex as rx

from components.confirm import confirm_button
from components.feedback import error_callout, notice_callout
from components.forms import card, field, keyed_form, submit_button
from state.admin_domains import DomainRow, DomainsState
from state.locale import t


def _record_line(label: rx.Var[str], value: rx.Var[str] | str, copy: bool = True) -> rx.Component:
    copy_button = rx.icon_button(
        rx.icon("copy", size=14),
        size="1",
        variant="ghost",
        aria_label=t("domains.copy"),
        title=t("domains.copy"),
        on_click=rx.set_clipboard(value),
    )
    return rx.flex(
        rx.text(label, size="2", weight="medium", min_width="4em"),
        rx.code(value, size="2", style={"wordBreak": "break-all"}),
        *([copy_button] if copy else []),
        align="center",
        spacing="2",
        width="100%",
    )


def _domain_row(row: DomainRow) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(row.host, weight="bold", style={"wordBreak": "break-all"}),
            rx.badge(
                t(row.status_key), color_scheme=rx.cond(row.pending, "orange", "green"), size="2"
            ),
            rx.spacer(),
            rx.hstack(
                rx.cond(
                    row.pending,
                    rx.button(
                        t("domains.check"),
                        size="2",
                        variant="soft",
                        on_click=DomainsState.check(row.id),
                        class_name="domain-check",
                    ),
                ),
                confirm_button(
                    t("domains.remove"),
                    t("domains.remove_question"),
                    subject=row.host,
                    consequence=t("domains.remove_consequence"),
                    confirm_label=t("domains.remove"),
                    cancel_label=t("common.cancel"),
                    on_confirm=DomainsState.remove(row.id),
                    class_name="domain-remove",
                ),
                spacing="2",
            ),
            align="center",
            spacing="2",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            row.pending,
            rx.vstack(
                rx.text(t("domains.record_hint"), size="2", color_scheme="gray"),
                _record_line(t("domains.record_type"), "TXT", copy=False),
                _record_line(t("domains.record_name"), row.record_name),
                _record_line(t("domains.record_value"), row.record_value),
                spacing="1",
                width="100%",
                class_name="domain-record",
            ),
        ),
        spacing="2",
        width="100%",
        padding="0.75em",
        border="1px solid var(--gray-5)",
        border_radius="8px",
        class_name="domain-row",
    )


def domains_section() -> rx.Component:
    """The tenant's own domains: add one, prove it with DNS, remove it."""
    return card(
        t("branding.domains"),
        rx.text(t("domains.help"), size="2", color_scheme="gray"),
        error_callout(DomainsState.error),
        notice_callout(DomainsState.notice),
        rx.cond(
            DomainsState.rows.length() > 0,
            rx.vstack(rx.foreach(DomainsState.rows, _domain_row), spacing="2", width="100%"),
            rx.text(t("domains.none"), size="2"),
        ),
        keyed_form(
            rx.flex(
                rx.box(
                    field(
                        t("domains.host"), "host", required=True, placeholder="beratung.example.com"
                    ),
                    flex_grow="1",
                    min_width="14em",
                ),
                submit_button(t("domains.add"), id="domain-add"),
                align="end",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=DomainsState.add,
            revision=DomainsState.add_revision,
        ),
        id="branding-domains",
    )
