"""Second sign-in step: the code from the authenticator app."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, page
from app.pages.login import auth_column
from components.feedback import error_callout
from components.forms import field, form_card, submit_button
from state.locale import t
from state.login import LoginState


def second_factor() -> rx.Component:
    """The code form."""
    return page(
        auth_column(
            form_card(
                t("login.code_title"),
                error_callout(LoginState.error),
                field(
                    t("login.code_label"),
                    "code",
                    required=True,
                    autocomplete="one-time-code",
                    input_mode="numeric",
                    help_text=t("login.code_help"),
                    auto_focus=True,
                ),
                submit_button(t("login.code_submit"), id="code-submit", width="100%"),
                on_submit=LoginState.submit_code,
                reset_on_submit=True,
            )
        )
    )


ON_LOAD = on_load(None)
