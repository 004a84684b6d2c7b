"""The meeting room's chat panel: lines, the message field, file sharing with the tenant's
limits and the upload's progress, and the live region that reads out new messages.
Pure functions of values and handlers; app/pages/meeting_sections.py binds them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from components.file_input import labelled_upload

T = rx.Var[str]


@dataclasses.dataclass
class ChatRow:
    """One chat line: a message and/or a shared file."""

    id: str = ""
    author: str = ""
    mine: bool = False
    text: str = ""
    at: str = ""  # ISO time, shown in the viewer's clock
    file_id: str = ""
    filename: str = ""
    size: str = ""  # "12.3 KB" in the viewer's language


@dataclasses.dataclass(frozen=True)
class ChatTexts:
    """Labels of the chat panel."""

    heading: T
    empty: T
    message_label: T
    send: T
    attach: T
    share: T
    download: T
    limits: T  # "Files up to {mb} MB: {kinds}"
    uploading: T
    percent: T  # "{percent} %"
    cancel: T


@dataclasses.dataclass(frozen=True)
class ChatUpload:
    """Sharing a file in the chat: the tenant's rules, the upload's progress, the handlers."""

    upload_id: str
    max_mb: rx.Var[int]
    kinds: rx.Var[str]
    uploading: rx.Var[bool]
    percent: rx.Var[int]
    refusal: rx.Var[str]  # the browser's refusal in the participant's words ("" for none)
    on_upload: Any  # the upload chain, already bound to rx.upload_files(...)
    on_refused: Any  # gets why the browser refused the file (react-dropzone's error codes)
    on_cancel: Any


def _filled(template: T, **values: rx.Var[str]) -> rx.Var[str]:
    """``template`` with ``{name}`` placeholders replaced in the browser (the words follow a
    change of language, the values follow the state)."""
    text: Any = template
    for name, value in values.items():
        text = text.split("{" + name + "}").join(value)
    return text.to(str)  # type: ignore[no-any-return]


def chat_announcer(text: rx.Var[str], count: rx.Var[int]) -> rx.Component:
    """Reads out "New message from Eva: ..." to screen readers, whichever tab is shown.

    Place it outside the tabs: a live region must stay on the page to be heard. The text is
    re-created for every announcement (``key``), so the same words are read out again.
    """
    return rx.el.div(
        rx.el.p(text, key=count),
        aria_live="polite",
        aria_atomic="true",
        id="meeting-chat-announcer",
        style={
            "position": "absolute",
            "width": "1px",
            "height": "1px",
            "overflow": "hidden",
            "clip": "rect(0 0 0 0)",
            "whiteSpace": "nowrap",
        },
    )


def _chat_line(m: rx.Var[ChatRow], texts: ChatTexts, on_download: Any) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(m.author, size="1", weight="bold"),
            rx.moment(m.at, format="HH:mm", font_size="0.75em", color="var(--gray-11)"),
            spacing="2",
            align="baseline",
        ),
        rx.cond(m.text != "", rx.text(m.text, size="2"), rx.fragment()),
        rx.cond(
            m.file_id != "",
            rx.button(
                rx.icon("paperclip", size=14),
                m.filename,
                rx.text.span(" (", m.size, ")", color="var(--gray-11)"),
                variant="soft",
                size="1",
                on_click=on_download(m.file_id),
                aria_label=texts.download + ": " + m.filename,
                class_name="chat-file",
                max_width="100%",
                style={"overflowWrap": "anywhere", "height": "auto", "minHeight": "24px"},
            ),
            rx.fragment(),
        ),
        padding="0.4em 0.6em",
        border_radius="var(--radius-2)",
        background=rx.cond(m.mine, "var(--accent-a3)", "var(--gray-a3)"),
        class_name="chat-line",
        width="100%",
        style={"overflowWrap": "anywhere"},
    )


def _refusal_codes(rejected: rx.Var[Any]) -> rx.Var[list[str]]:
    """Why the browser refused the chosen files ("file-too-large", ...), without the files:
    an event carrying the File objects would send their bytes over the event socket."""
    return rx.Var(_js_expr=f"{rejected}.flatMap((r) => r.errors.map((e) => e.code))").to(list[str])


def _upload_progress(texts: ChatTexts, upload: ChatUpload) -> rx.Component:
    """The bar with its percentage and a cancel button, while a file is on its way."""
    return rx.hstack(
        rx.progress(
            value=upload.percent,
            max=100,
            aria_label=texts.uploading,
            id="meeting-chat-progress",
            flex="1",
        ),
        rx.text(
            _filled(texts.percent, percent=upload.percent.to_string()),
            size="1",
            id="meeting-chat-progress-text",
            min_width="3.5em",
            text_align="right",
        ),
        rx.icon_button(
            rx.icon("x", size=14),
            size="1",
            variant="soft",
            color_scheme="gray",
            aria_label=texts.cancel,
            title=texts.cancel,
            on_click=[rx.cancel_upload(upload.upload_id), upload.on_cancel],
            id="meeting-chat-cancel",
            type="button",
        ),
        align="center",
        width="100%",
        spacing="2",
    )


def _file_sharing(texts: ChatTexts, upload: ChatUpload) -> rx.Component:
    """Choose a file (the tenant's limits said next to it), share it, watch it upload."""
    chosen = rx.selected_files(upload.upload_id)
    limits = _filled(texts.limits, mb=upload.max_mb.to_string(), kinds=upload.kinds)
    return rx.vstack(
        rx.hstack(
            labelled_upload(
                rx.button(
                    rx.icon("paperclip", size=14),
                    texts.attach,
                    variant="soft",
                    size="1",
                    type="button",
                    aria_describedby="meeting-chat-limits",
                ),
                id=upload.upload_id,
                label=texts.attach,
                unstyled=True,
                max_files=1,
                multiple=False,
                max_size=upload.max_mb * 1024 * 1024,
                no_drag=True,
                no_keyboard=True,  # the button inside is the one keyboard stop
                on_drop_rejected=lambda rejected: upload.on_refused(_refusal_codes(rejected)),
            ),
            rx.cond(
                chosen.length() > 0,
                rx.button(
                    texts.share,
                    " ",
                    chosen[0],
                    size="1",
                    id="meeting-chat-share",
                    on_click=upload.on_upload,
                    disabled=upload.uploading,
                    max_width="100%",
                    style={"overflowWrap": "anywhere", "height": "auto", "minHeight": "24px"},
                ),
                rx.fragment(),
            ),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.text(limits, size="1", color="var(--gray-11)", id="meeting-chat-limits"),
        rx.cond(
            (upload.refusal != "") & (chosen.length() == 0),
            rx.callout(
                upload.refusal,
                icon="triangle_alert",
                color_scheme="red",
                role="alert",
                size="1",
                id="meeting-chat-refusal",
                width="100%",
            ),
            rx.fragment(),
        ),
        rx.cond(upload.uploading, _upload_progress(texts, upload), rx.fragment()),
        width="100%",
        spacing="1",
    )


def chat_panel(
    lines: rx.Var[list[ChatRow]],
    draft: rx.Var[str],
    texts: ChatTexts,
    upload: ChatUpload,
    *,
    on_draft: Any,
    on_send: Any,
    on_download: Any,
    on_shown: Any,
    on_hidden: Any,
) -> rx.Component:
    """Chat lines (newest last), the message field, and file sharing.

    ``on_shown`` / ``on_hidden`` fire when the panel enters and leaves the page (tabs mount
    only the shown panel), so the unread count knows whether the chat is on screen. New
    lines are read out by :func:`chat_announcer`, so the log itself is not live.
    """
    return rx.vstack(
        rx.heading(texts.heading, size="3", as_="h2", id="meeting-chat-heading"),
        rx.box(
            rx.cond(
                lines.length() > 0,
                rx.vstack(
                    rx.foreach(lines, lambda m: _chat_line(m, texts, on_download)),
                    spacing="2",
                    width="100%",
                ),
                rx.text(texts.empty, size="2", color_scheme="gray"),
            ),
            id="meeting-chat-lines",
            role="log",
            aria_live="off",
            aria_labelledby="meeting-chat-heading",
            tab_index=0,
            max_height="40vh",
            overflow_y="auto",
            width="100%",
        ),
        rx.form(
            rx.hstack(
                rx.input(
                    value=draft,
                    on_change=on_draft,
                    placeholder=texts.message_label,
                    aria_label=texts.message_label,
                    id="meeting-chat-input",
                    name="meeting-chat-input",
                    flex="1",
                    max_length=2000,
                ),
                rx.icon_button(rx.icon("send"), type="submit", aria_label=texts.send),
                width="100%",
            ),
            on_submit=on_send,
            width="100%",
        ),
        _file_sharing(texts, upload),
        width="100%",
        spacing="2",
        on_mount=on_shown,
        on_unmount=on_hidden,
    )
