"""The signed-in user's own account: profile, password, two-factor authentication."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout, notice_callout
from components.forms import card, field, form_card, submit_button
from state.account import AccountState
from state.locale import t


def _enrol_form() -> rx.Component:
    """The QR code and the first code from the authenticator app."""
    return rx.vstack(
        rx.text(t("account.twofa_scan"), size="2"),
        rx.image(
            src=AccountState.qr_data_uri, alt="QR code", width="200px", height="200px", id="totp-qr"
        ),
        rx.text(t("account.twofa_secret"), size="1", color_scheme="gray"),
        rx.code(AccountState.manual_key, id="totp-secret", size="2"),
        rx.form(
            rx.vstack(
                field(
                    t("account.twofa_code"),
                    "code",
                    required=True,
                    autocomplete="one-time-code",
                    input_mode="numeric",
                ),
                rx.hstack(
                    submit_button(t("account.twofa_confirm"), id="totp-confirm"),
                    rx.button(
                        t("common.cancel"),
                        variant="soft",
                        type="button",
                        on_click=AccountState.cancel_2fa,
                    ),
                ),
                spacing="3",
                align="stretch",
            ),
            on_submit=AccountState.confirm_2fa,
            reset_on_submit=True,
        ),
        spacing="3",
        align="start",
    )


def _start_form() -> rx.Component:
    """Set up (or move) two-factor authentication, after confirming the password."""
    return rx.form(
        rx.vstack(
            rx.text(t("account.confirm_with_password"), size="2", weight="medium"),
            field(
                t("common.password"),
                "password",
                type="password",
                required=True,
                autocomplete="current-password",
            ),
            rx.cond(
                AccountState.twofa_enabled,
                field(t("account.twofa_code"), "code", required=True, autocomplete="one-time-code"),
            ),
            rx.hstack(
                submit_button(
                    rx.cond(
                        AccountState.twofa_enabled,
                        t("account.twofa_restart"),
                        t("account.twofa_start"),
                    ),
                    id="totp-start",
                ),
            ),
            spacing="3",
            align="stretch",
        ),
        on_submit=AccountState.start_2fa,
        reset_on_submit=True,
    )


def _disable_form() -> rx.Component:
    """Turn two-factor authentication off with the password and a current code."""
    return rx.form(
        rx.vstack(
            field(
                t("common.password"),
                "password",
                type="password",
                required=True,
                autocomplete="current-password",
            ),
            field(t("account.twofa_code"), "code", required=True, autocomplete="one-time-code"),
            rx.button(
                t("account.twofa_disable"), type="submit", color_scheme="red", variant="soft"
            ),
            spacing="3",
            align="stretch",
        ),
        on_submit=AccountState.disable_2fa,
        reset_on_submit=True,
    )


def _recovery_codes() -> rx.Component:
    """The ten recovery codes, shown once right after enrolling."""
    return rx.cond(
        AccountState.recovery_codes.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text(t("account.recovery_title"), weight="bold"),
                rx.text(t("account.recovery_text"), size="2"),
                rx.grid(
                    rx.foreach(AccountState.recovery_codes, lambda c: rx.code(c)),
                    columns="2",
                    spacing="2",
                    id="recovery-codes",
                ),
            ),
            icon="key_round",
            color_scheme="amber",
        ),
    )


def _twofa() -> rx.Component:
    """The two-factor card: its state, recovery codes, and the forms that fit it."""
    return card(
        t("account.twofa_title"),
        rx.cond(
            AccountState.twofa_enabled,
            rx.badge(t("account.twofa_on"), color_scheme="green", size="2", id="totp-on"),
            rx.text(t("account.twofa_off"), size="2", color_scheme="gray"),
        ),
        _recovery_codes(),
        rx.cond(AccountState.enrolling, _enrol_form(), _start_form()),
        rx.cond(
            AccountState.twofa_enabled & ~AccountState.enrolling,
            rx.accordion.root(
                rx.accordion.item(header=t("account.twofa_disable"), content=_disable_form()),
                collapsible=True,
                type="single",
                variant="ghost",
            ),
        ),
    )


def account() -> rx.Component:
    """Profile, password and 2FA cards."""
    return protected(
        title("account.title"),
        rx.vstack(
            rx.cond(
                AccountState.twofa_required,
                rx.callout(
                    t("account.twofa_required"),
                    icon="shield_alert",
                    color_scheme="amber",
                    role="alert",
                    id="twofa-required",
                    width="100%",
                ),
            ),
            error_callout(AccountState.error),
            notice_callout(AccountState.notice),
            rx.grid(
                form_card(
                    t("account.profile"),
                    field(
                        t("account.display_name"),
                        "display_name",
                        required=True,
                        default_value=AccountState.display_name,
                        key=AccountState.display_name,
                    ),
                    field(
                        t("account.timezone"),
                        "timezone",
                        required=True,
                        default_value=AccountState.timezone,
                        key=AccountState.timezone,
                    ),
                    submit_button(t("common.save")),
                    on_submit=AccountState.save_profile,
                ),
                form_card(
                    t("account.password_title"),
                    field(
                        t("account.current_password"),
                        "current",
                        type="password",
                        required=True,
                        autocomplete="current-password",
                    ),
                    field(
                        t("account.new_password"),
                        "new",
                        type="password",
                        required=True,
                        autocomplete="new-password",
                    ),
                    submit_button(t("account.change_password")),
                    on_submit=AccountState.change_password,
                    reset_on_submit=True,
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            _twofa(),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("any", AccountState.load)
