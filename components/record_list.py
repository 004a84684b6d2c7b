"""Rows of records as a table on wide screens and as stacked cards on phones.

A table with five columns does not fit a phone: the status and the actions, the columns an
admin came for, end up scrolled out of sight. Below the ``md`` breakpoint (48em, 768 px)
each row becomes a card instead: the heading column on top, every other column as
"label: value", and the row's actions below, full width. Both layouts are rendered and CSS
shows one, so nothing depends on JavaScript knowing the width.

The table keeps the id ``{name}-table`` and the cards list ``{name}-cards``; rows carry no
ids of their own (each row exists twice).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

Cell = Callable[[Any], rx.Component | rx.Var[Any]]

TABLE_ONLY = rx.breakpoints(initial="none", md="block")
CARDS_ONLY = rx.breakpoints(initial="flex", md="none")


@dataclasses.dataclass(frozen=True)
class Column:
    """One column: its header (also the label on a card) and what a row shows in it.

    ``heading`` marks the column that names the record (a person, a tenant, an event): on a
    card it is shown on top, bold and without its label.
    """

    label: rx.Var[str] | str
    cell: Cell
    heading: bool = False


@dataclasses.dataclass(frozen=True)
class Actions:
    """The buttons of a row: the table's last column, a card's footer."""

    label: rx.Var[str] | str
    cell: Callable[[Any], rx.Component]


def _table(
    rows: rx.Var[list[Any]], columns: Sequence[Column], actions: Actions | None, name: str
) -> rx.Component:
    def row(item: Any) -> rx.Component:
        cells = [rx.table.cell(column.cell(item)) for column in columns]
        if actions is not None:
            cells.append(rx.table.cell(actions.cell(item)))
        return rx.table.row(*cells)

    headers = [column.label for column in columns]
    if actions is not None:
        headers.append(actions.label)
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, row)),
            width="100%",
            id=f"{name}-table",
        ),
        overflow_x="auto",
        width="100%",
        display=TABLE_ONLY,
    )


def _card(item: Any, columns: Sequence[Column], actions: Actions | None) -> rx.Component:
    heading = [c for c in columns if c.heading]
    pairs = [
        rx.fragment(
            rx.el.dt(
                column.label,
                style={"color": "var(--gray-11)", "fontSize": "0.85em", "paddingTop": "0.1em"},
            ),
            rx.el.dd(column.cell(item), style={"margin": "0", "minWidth": "0"}),
        )
        for column in columns
        if not column.heading
    ]
    return rx.el.li(
        rx.card(
            rx.vstack(
                *[rx.box(c.cell(item), font_weight="bold", width="100%") for c in heading],
                rx.el.dl(
                    *pairs,
                    style={
                        "display": "grid",
                        "gridTemplateColumns": "minmax(5.5em, max-content) minmax(0, 1fr)",
                        "columnGap": "0.75em",
                        "rowGap": "0.35em",
                        "margin": "0",
                        "width": "100%",
                        "alignItems": "baseline",
                        "overflowWrap": "anywhere",
                    },
                ),
                *([rx.box(actions.cell(item), width="100%")] if actions is not None else []),
                spacing="2",
                width="100%",
                align="stretch",
            ),
            width="100%",
        ),
        style={"listStyle": "none", "width": "100%"},
    )


def record_list(
    rows: rx.Var[list[Any]],
    columns: Sequence[Column],
    *,
    name: str,
    actions: Actions | None = None,
    empty: rx.Var[str] | str | None = None,
) -> rx.Component:
    """A table at md and wider, a list of cards below.

    Args:
        rows: the records (dicts or dataclasses; each column reads what it shows).
        columns: the columns in order; one may be the ``heading``.
        name: prefix of the ids (``{name}-table``, ``{name}-cards``).
        actions: the row's buttons, if any.
        empty: the text shown when there are no rows.
    """
    return rx.vstack(
        _table(rows, columns, actions, name),
        rx.el.ul(
            rx.foreach(rows, lambda item: _card(item, columns, actions)),
            id=f"{name}-cards",
            style={
                "flexDirection": "column",
                "gap": "0.75em",
                "padding": "0",
                "margin": "0",
                "width": "100%",
            },
            display=CARDS_ONLY,
        ),
        *(
            [rx.cond(rows.length() == 0, rx.text(empty, color_scheme="gray"))]
            if empty is not None
            else []
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )
