"""Admin: teams with topics and locations."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.feedback import error_callout, notice_callout
from components.forms import card, field, form_card, submit_button
from state.admin_teams import AdminTeamsState
from state.locale import t


def admin_teams() -> rx.Component:
    """Team list and form."""
    key = AdminTeamsState.editing_id + AdminTeamsState.form_name
    return protected(
        title("teams.title"),
        rx.vstack(
            error_callout(AdminTeamsState.error),
            notice_callout(AdminTeamsState.notice),
            form_card(
                rx.cond(
                    AdminTeamsState.editing_id != "", AdminTeamsState.form_name, t("teams.new")
                ),
                rx.grid(
                    field(
                        t("common.name"),
                        "name",
                        required=True,
                        default_value=AdminTeamsState.form_name,
                        key=key,
                    ),
                    field(
                        t("teams.topics"),
                        "topics",
                        default_value=AdminTeamsState.form_topics,
                        key=key,
                    ),
                    field(
                        t("teams.locations"),
                        "locations",
                        default_value=AdminTeamsState.form_locations,
                        key=key,
                    ),
                    columns=rx.breakpoints(initial="1", md="3"),
                    spacing="3",
                    width="100%",
                ),
                rx.hstack(
                    submit_button(t("common.save")),
                    rx.cond(
                        AdminTeamsState.editing_id != "",
                        rx.button(
                            t("common.cancel"),
                            type="button",
                            variant="soft",
                            on_click=AdminTeamsState.new,
                        ),
                    ),
                ),
                on_submit=AdminTeamsState.save,
                reset_on_submit=True,
            ),
            card(
                t("teams.title"),
                rx.foreach(
                    AdminTeamsState.rows,
                    lambda row: rx.hstack(
                        rx.vstack(
                            rx.text(row["name"], weight="bold"),
                            rx.text(row["topics"], size="1", color_scheme="gray"),
                            rx.text(row["locations"], size="1", color_scheme="gray"),
                            spacing="0",
                        ),
                        rx.spacer(),
                        rx.button(
                            t("teams.edit"),
                            size="1",
                            variant="soft",
                            on_click=AdminTeamsState.edit(row["id"]),
                        ),
                        rx.button(
                            t("teams.delete"),
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            on_click=AdminTeamsState.delete(row["id"]),
                        ),
                        width="100%",
                        align="center",
                        border_bottom="1px solid var(--gray-4)",
                        padding_y="0.5em",
                    ),
                ),
                rx.cond(
                    AdminTeamsState.rows.length() == 0,
                    rx.text(t("teams.empty"), color_scheme="gray"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminTeamsState.load)
