"""Admin: the tenant's users, invitations and CSV import of advisors."""

from __future__ import annotations

import reflex as rx

from app.i18n import LANGUAGES
from app.pages.layout import on_load, protected, title
from components.feedback import error_callout, notice_callout
from components.forms import card, field, form_card, submit_button
from state.admin_users import MAX_CSV_BYTES, AdminUsersState, UserRow
from state.locale import t

ROLES = ("admin", "advisor", "customer")


def _select(
    label: rx.Var[str], name: str, options: list[tuple[str, rx.Var[str] | str]], default: str
) -> rx.Component:
    return rx.vstack(
        rx.el.label(
            label, html_for=f"field-{name}", style={"fontWeight": "500", "fontSize": "0.9em"}
        ),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            id=f"field-{name}",
            name=name,
            default_value=default,
            style={
                "padding": "0.5em",
                "borderRadius": "6px",
                "border": "1px solid var(--gray-7)",
                "background": "var(--color-surface)",
                "width": "100%",
            },
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _invite_form() -> rx.Component:
    return form_card(
        t("users.invite_title"),
        rx.grid(
            field(t("common.email"), "email", type="email", required=True),
            field(t("common.name"), "display_name", required=True),
            _select(t("common.role"), "role", [(r, t(f"role.{r}")) for r in ROLES], "advisor"),
            _select(
                t("common.language"), "locale", [(lang, lang.upper()) for lang in LANGUAGES], "de"
            ),
            rx.vstack(
                rx.el.label(
                    t("common.team"),
                    html_for="field-team_id",
                    style={"fontWeight": "500", "fontSize": "0.9em"},
                ),
                rx.el.select(
                    rx.el.option("—", value=""),
                    rx.foreach(
                        AdminUsersState.team_options, lambda o: rx.el.option(o[1], value=o[0])
                    ),
                    id="field-team_id",
                    name="team_id",
                    style={
                        "padding": "0.5em",
                        "borderRadius": "6px",
                        "border": "1px solid var(--gray-7)",
                        "background": "var(--color-surface)",
                        "width": "100%",
                    },
                ),
                spacing="1",
                width="100%",
                align="stretch",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="5"),
            spacing="3",
            width="100%",
        ),
        rx.box(submit_button(t("users.invite"), id="invite-submit")),
        on_submit=AdminUsersState.invite,
        reset_on_submit=True,
    )


def _role_menu(row: rx.Var[UserRow]) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                t("role." + row.role),
                rx.icon("chevron_down", size=14),
                variant="soft",
                size="1",
                disabled=row.is_self,
                aria_label=t("common.role"),
            )
        ),
        rx.menu.content(
            *[
                rx.menu.item(t(f"role.{r}"), on_select=AdminUsersState.change_role(row.id, r))
                for r in ROLES
            ]
        ),
    )


def _row(row: rx.Var[UserRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(row.name, weight="medium"),
                rx.text(row.email, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(_role_menu(row)),
        rx.table.cell(
            rx.badge(
                t("status." + row.status),
                color_scheme=rx.match(
                    row.status, ("active", "green"), ("invited", "amber"), "gray"
                ),
            )
        ),
        rx.table.cell(row.team),
        rx.table.cell(
            rx.hstack(
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
                    rx.button(
                        t("users.deactivate"),
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=AdminUsersState.deactivate(row.id),
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
        ),
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
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(t("common.name")),
                        rx.table.column_header_cell(t("common.role")),
                        rx.table.column_header_cell(t("common.status")),
                        rx.table.column_header_cell(t("common.team")),
                        rx.table.column_header_cell(t("common.actions")),
                    )
                ),
                rx.table.body(rx.foreach(AdminUsersState.rows, _row)),
                width="100%",
                id="users-table",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.cond(AdminUsersState.rows.length() == 0, rx.text(t("users.empty"), color_scheme="gray")),
    )


def _import() -> rx.Component:
    return card(
        t("users.import_title"),
        rx.text(t("users.import_help"), size="2", color_scheme="gray"),
        rx.upload(
            rx.vstack(
                rx.icon("upload"),
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
