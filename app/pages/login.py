"""Sign in with email and password."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.pages.layout import href, on_load, page
from components.feedback import error_callout, notice_callout
from components.forms import field, form_card, submit_button
from state.locale import t
from state.login import LoginState


def auth_column(*children: rx.Component) -> rx.Component:
    """A narrow centred column for the sign-in and password pages."""
    return rx.center(rx.box(*children, width="100%", max_width="420px"), padding_top=["1em", "4vh"])


def login() -> rx.Component:
    """The login form."""
    return page(
        auth_column(
            form_card(
                t("login.title"),
                rx.cond(LoginState.signed_out, notice_callout(t("login.signed_out"))),
                error_callout(LoginState.error),
                field(
                    t("common.email"),
                    "email",
                    type="email",
                    required=True,
                    autocomplete="username",
                    default_value=LoginState.email,
                ),
                field(
                    t("common.password"),
                    "password",
                    type="password",
                    required=True,
                    autocomplete="current-password",
                ),
                submit_button(t("login.submit"), id="login-submit", width="100%"),
                rx.link(t("login.forgot"), href=href(routes.FORGOT_PASSWORD), size="2"),
                on_submit=LoginState.submit,
            )
        )
    )


ON_LOAD = on_load(None, LoginState.reset_form)
