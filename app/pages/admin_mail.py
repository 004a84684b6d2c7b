"""Admin: the tenant's mail log and the template editor with preview."""

from __future__ import annotations

import reflex as rx

from app.i18n import LANGUAGES
from app.pages.layout import on_load, protected, title
from app.services.mail_templates import TEMPLATE_KEYS
from components.confirm import confirm_button
from components.feedback import error_callout, notice_callout
from components.forms import card, field, text_area_field
from components.outbox import Outbox, outbox
from state.admin_mail import AdminMailState
from state.locale import t


def _outbox() -> rx.Component:
    return card(
        t("mail.outbox_title"),
        rx.text(t("mail.outbox_help"), size="2", color_scheme="gray"),
        outbox(
            Outbox(
                rows=AdminMailState.mails,
                opened_subject=AdminMailState.opened_subject,
                opened_html=AdminMailState.opened_html,
                on_open=AdminMailState.open_mail,
                on_close=AdminMailState.close_mail,
                text=t,
            )
        ),
    )


def _editor() -> rx.Component:
    key = (
        AdminMailState.template_key
        + AdminMailState.template_locale
        + AdminMailState.revision.to_string()
    )
    return card(
        t("mail.templates_title"),
        rx.hstack(
            rx.select.root(
                rx.select.trigger(aria_label=t("mail.template")),
                rx.select.content(
                    *[rx.select.item(t(f"mail.key.{k}"), value=k) for k in TEMPLATE_KEYS]
                ),
                value=AdminMailState.template_key,
                on_change=AdminMailState.choose_template,
            ),
            rx.select.root(
                rx.select.trigger(aria_label=t("common.language")),
                rx.select.content(
                    *[rx.select.item(code.upper(), value=code) for code in LANGUAGES]
                ),
                value=AdminMailState.template_locale,
                on_change=AdminMailState.choose_locale,
            ),
            rx.badge(rx.cond(AdminMailState.customised, t("mail.customised"), t("mail.default"))),
            wrap="wrap",
        ),
        rx.text(t("mail.link_help"), size="2", color_scheme="gray"),
        rx.grid(
            rx.vstack(
                field(
                    t("mail.subject"),
                    "subject",
                    default_value=AdminMailState.subject,
                    key=key,
                    on_blur=lambda value: AdminMailState.edit_draft("subject", value),
                ),
                text_area_field(
                    t("mail.body_html"),
                    "body_html",
                    default_value=AdminMailState.body_html,
                    key=key,
                    rows="10",
                    on_blur=lambda value: AdminMailState.edit_draft("body_html", value),
                ),
                text_area_field(
                    t("mail.body_text"),
                    "body_text",
                    default_value=AdminMailState.body_text,
                    key=key,
                    rows="8",
                    on_blur=lambda value: AdminMailState.edit_draft("body_text", value),
                ),
                rx.hstack(
                    rx.button(t("mail.preview"), variant="soft", on_click=AdminMailState.preview),
                    rx.button(
                        t("mail.save_template"),
                        on_click=AdminMailState.save,
                    ),
                    rx.cond(
                        AdminMailState.customised,
                        confirm_button(
                            t("mail.reset_template"),
                            t("mail.reset_question"),
                            subject=t("mail.key." + AdminMailState.template_key)
                            + " ("
                            + AdminMailState.template_locale.upper()
                            + ")",
                            consequence=t("mail.reset_consequence"),
                            confirm_label=t("mail.reset_template"),
                            cancel_label=t("common.cancel"),
                            on_confirm=AdminMailState.restore_default,
                            size="2",
                            class_name="template-reset",
                        ),
                    ),
                    wrap="wrap",
                ),
                spacing="3",
                align="stretch",
            ),
            rx.vstack(
                rx.heading(AdminMailState.preview_subject, size="3"),
                rx.el.iframe(
                    src_doc=AdminMailState.preview_html,
                    title=t("mail.preview"),
                    sandbox="",
                    style={"width": "100%", "height": "480px", "border": "1px solid var(--gray-6)"},
                ),
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
    )


def admin_mail() -> rx.Component:
    """Outbox and template editor."""
    return protected(
        title("mail.title"),
        rx.vstack(
            error_callout(AdminMailState.error),
            notice_callout(AdminMailState.notice),
            _outbox(),
            _editor(),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminMailState.load)
