"""Pages reached from mails: forgot password, reset password, activate account."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, on_load, page
from app.pages.login import auth_column
from components.feedback import error_callout, notice_callout
from components.forms import field, form_card, submit_button
from state.locale import t
from state.recovery import RecoveryState


def _done_or(form: rx.Component) -> rx.Component:
    return rx.cond(
        RecoveryState.done,
        rx.vstack(
            notice_callout(RecoveryState.notice),
            rx.link(t("nav.login"), href=href(routes.LOGIN)),
            spacing="3",
        ),
        form,
    )


def forgot_password() -> rx.Component:
    """Ask for a reset link."""
    return page(
        auth_column(
            _done_or(
                form_card(
                    t("forgot.title"),
                    rx.text(t("forgot.text"), size="2", color_scheme="gray"),
                    error_callout(RecoveryState.error),
                    field(
                        t("common.email"),
                        "email",
                        type="email",
                        required=True,
                        autocomplete="email",
                    ),
                    submit_button(t("forgot.submit"), width="100%"),
                    on_submit=RecoveryState.forgot,
                )
            )
        )
    )


def _new_password_fields() -> list[rx.Component]:
    return [
        field(
            t("reset.new_password"),
            "password",
            type="password",
            required=True,
            autocomplete="new-password",
            help_text=t("activate.policy").replace(
                "{min_length}", RecoveryState.min_length.to_string()
            ),
        ),
        field(
            t("reset.repeat_password"),
            "password_repeat",
            type="password",
            required=True,
            autocomplete="new-password",
        ),
    ]


def reset_password() -> rx.Component:
    """Choose a new password through a reset link."""
    return page(
        auth_column(
            _done_or(
                form_card(
                    t("reset.title"),
                    error_callout(RecoveryState.error),
                    *_new_password_fields(),
                    submit_button(t("reset.submit"), width="100%"),
                    on_submit=RecoveryState.reset_with_link,
                )
            )
        )
    )


def activate() -> rx.Component:
    """Set the first password through an invitation link."""
    return page(
        auth_column(
            _done_or(
                form_card(
                    t("activate.title"),
                    rx.cond(
                        RecoveryState.greeting_name != "",
                        rx.heading(RecoveryState.greeting_name, size="3"),
                    ),
                    rx.text(t("activate.text"), size="2", color_scheme="gray"),
                    error_callout(RecoveryState.error),
                    *_new_password_fields(),
                    submit_button(t("activate.submit"), width="100%", id="activate-submit"),
                    on_submit=RecoveryState.activate,
                )
            )
        )
    )


FORGOT_ON_LOAD = on_load(None, RecoveryState.clear)
LINK_ON_LOAD = on_load(None, RecoveryState.open_link)
