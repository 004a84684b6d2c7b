"""Admin: teams with topics and locations."""

from __future__ import annotations

import reflex as rx

from app.pages.layout import on_load, protected, title
from components.confirm import confirm_button
from components.feedback import error_callout, notice_callout
from components.forms import card, field, form_card, submit_button
from components.record_list import Actions, Column, record_list
from state.admin_teams import AdminTeamsState
from state.locale import t


def _form() -> rx.Component:
    return form_card(
        rx.cond(AdminTeamsState.editing_id != "", AdminTeamsState.form_name, t("teams.new")),
        rx.grid(
            field(t("common.name"), "name", required=True, default_value=AdminTeamsState.form_name),
            field(t("teams.topics"), "topics", default_value=AdminTeamsState.form_topics),
            field(t("teams.locations"), "locations", default_value=AdminTeamsState.form_locations),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            submit_button(t("common.save"), id="team-save"),
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
        revision=AdminTeamsState.editing_id + "-" + AdminTeamsState.revision.to_string(),
        id="team-form",
    )


def _actions(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.hstack(
        rx.button(
            t("teams.edit"),
            size="1",
            variant="soft",
            on_click=AdminTeamsState.edit(row["id"]),
            class_name="team-edit",
        ),
        confirm_button(
            t("teams.delete"),
            t("teams.delete_question").replace("{name}", row["name"]),
            subject=row["name"],
            consequence=t("teams.delete_consequence"),
            confirm_label=t("teams.delete"),
            cancel_label=t("common.cancel"),
            on_confirm=AdminTeamsState.delete(row["id"]),
            size="1",
            class_name="team-delete",
        ),
        spacing="2",
        wrap="wrap",
    )


def admin_teams() -> rx.Component:
    """Team list and form."""
    return protected(
        title("teams.title"),
        rx.vstack(
            error_callout(AdminTeamsState.error),
            notice_callout(AdminTeamsState.notice),
            _form(),
            card(
                t("teams.title"),
                record_list(
                    AdminTeamsState.rows,
                    [
                        Column(t("common.name"), lambda row: rx.text(row["name"]), heading=True),
                        Column(t("teams.topics_label"), lambda row: rx.text(row["topics"])),
                        Column(t("teams.locations_label"), lambda row: rx.text(row["locations"])),
                    ],
                    actions=Actions(t("common.actions"), _actions),
                    name="teams",
                    empty=t("teams.empty"),
                ),
            ),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", AdminTeamsState.load)
