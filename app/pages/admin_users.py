"""Admin: the tenant's users, invitations and CSV import of advisors."""

from __future__ import annotations

import reflex as rx

from app.i18n import LANGUAGES
from app.pages.layout import on_load, protected, title
from components.confirm import confirm_button
from components.feedback import error_callout, notice_callout
from components.file_input import labelled_upload
from components.forms import card, field, form_card, select_field, submit_button
from components.record_list import Actions, Column, record_list
from state.admin_users import MAX_CSV_BYTES, AdminUsersState, UserRow
from state.locale import t

ROLES = ("admin", "advisor", "customer")


def _invite_form() -> rx.Component:
    return form_card(
        t("users.invite_title"),
        rx.grid(
            field(t("common.email"), "email", type="email", required=True),
            field(t("common.name"), "display_name", required=True),
            select_field(
                t("common.role"),
                "role",
                *[rx.el.option(t(f"role.{r}"), value=r) for r in ROLES],
                default_value="advisor",
            ),
            select_field(
                t("common.language"),
                "locale",
                *[rx.el.option(lang.upper(), value=lang) for lang in LANGUAGES],
                default_value="de",
            ),
            select_field(
                t("common.team"),
                "team_id",
                rx.el.option("—", value=""),
                rx.foreach(AdminUsersState.team_options, lambda o: rx.el.option(o[1], value=o[0])),
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="5"),
            spacing="3",
            width="100%",
        ),
        rx.box(submit_button(t("users.invite"), id="invite-submit")),
        on_submit=AdminUsersState.invite,
        revision=AdminUsersState.invite_revision,
    )


def _role_menu(row: rx.Var[UserRow]) -> rx.Component:
    role = t("role." + row.role)
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                role,
                rx.icon("chevron_down", size=14),
                variant="soft",
                size="1",
                disabled=row.is_self,
                aria_label=t("common.role") + ", " + row.name + ": " + role,
            )
        ),
        rx.menu.content(
            *[
                rx.menu.item(t(f"role.{r}"), on_select=AdminUsersState.change_role(row.id, r))
                for r in ROLES
            ]
        ),
    )


def _person(row: rx.Var[UserRow]) -> rx.Component:
    return rx.vstack(
        rx.text(row.name, weight="medium"),
        rx.text(row.email, size="1", color_scheme="gray", weight="regular"),
        spacing="0",
    )


def _status(row: rx.Var[UserRow]) -> rx.Component:
    return rx.badge(
        t("status." + row.status),
        color_scheme=rx.match(row.status, ("active", "green"), ("invited", "amber"), "gray"),
    )


def _actions(row: rx.Var[UserRow]) -> rx.Component:
    return rx.hstack(
        rx.cond(
            row.status == "invited",
            rx.button(
                t("users.resend"),
                size="1",
                variant="soft",
                on_click=AdminUsersState.resend(row.id),
            ),
        ),
        rx.cond(
            (row.status != "inactive") & (~row.is_self),
            confirm_button(
                t("users.deactivate"),
                t("users.deactivate_question").replace("{name}", row.name),
                subject=row.email,
                consequence=t("users.deactivate_consequence"),
                confirm_label=t("users.deactivate"),
                cancel_label=t("common.cancel"),
                on_confirm=AdminUsersState.deactivate(row.id),
                size="1",
                class_name="user-deactivate",
            ),
        ),
        rx.cond(
            row.status == "inactive",
            rx.button(
                t("users.reactivate"),
                size="1",
                variant="soft",
                on_click=AdminUsersState.reactivate(row.id),
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def _list() -> rx.Component:
    return card(
        t("users.title"),
        rx.input(
            placeholder=t("common.search"),
            aria_label=t("common.search"),
            value=AdminUsersState.search,
            on_change=AdminUsersState.set_search.debounce(300),
            max_width="320px",
            id="users-search",
        ),
        record_list(
            AdminUsersState.rows,
            [
                Column(t("common.name"), _person, heading=True),
                Column(t("common.role"), _role_menu),
                Column(t("common.status"), _status),
                Column(t("common.team"), lambda row: rx.text(row.team)),
            ],
            actions=Actions(t("common.actions"), _actions),
            name="users",
            empty=t("users.empty"),
        ),
    )


def _import() -> rx.Component:
    return card(
        t("users.import_title"),
        rx.text(t("users.import_help"), size="2", color_scheme="gray"),
        labelled_upload(
            rx.vstack(
                rx.icon("upload", aria_hidden="true"),
                rx.text(
                    rx.cond(
                        rx.selected_files("advisor-csv").length() > 0,
                        rx.selected_files("advisor-csv")[0],
                        "CSV",
                    )
                ),
                align="center",
            ),
            id="advisor-csv",
            label=t("users.import_title"),
            accept={"text/csv": [".csv"], "text/plain": [".txt"]},
            max_files=1,
            max_size=MAX_CSV_BYTES,
            border="1px dashed var(--gray-7)",
            padding="1em",
            border_radius="8px",
        ),
        rx.box(
            rx.button(
                t("users.import_button"),
                id="import-submit",
                on_click=AdminUsersState.import_csv(rx.upload_files(upload_id="advisor-csv")),
            )
        ),
        rx.cond(
            AdminUsersState.import_rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(t("users.import_line")),
                        rx.table.column_header_cell(t("common.email")),
                        rx.table.column_header_cell(t("users.import_outcome")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        AdminUsersState.import_rows,
                        lambda r: rx.table.row(
                            rx.table.cell(r["line"]),
                            rx.table.cell(r["email"]),
                            rx.table.cell(
                                rx.text(
                                    r["message"],
                                    color=rx.cond(
                                        r["outcome"] == "error", "var(--red-11)", "inherit"
                                    ),
                                )
                            ),
                        ),
                    )
                ),
                id="import-report",
            ),
        ),
    )


def admin_users() -> rx.Component:
    """Users list, invitation and import."""
    return protected(
        title("users.title"),
        rx.vstack(
            error_callout(AdminUsersState.error),
            notice_callout(AdminUsersState.notice),
            _invite_form(),
            _list(),
            _import(),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminUsersState.load)
