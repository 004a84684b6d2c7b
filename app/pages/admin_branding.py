"""Admin: the tenant's branding, languages, modules, password policy, links, SMTP and
meeting settings."""

from __future__ import annotations

import reflex as rx

from app import routes
from app.i18n import LANGUAGE_NAMES, LANGUAGES
from app.models import BUILT_MODULES, AssetKind
from app.pages.branding_domains import domains_section
from app.pages.layout import href, on_load, protected, title
from app.services import brand_assets
from app.services.meeting_settings import FILE_TYPES
from components.feedback import error_callout, notice_callout
from components.forms import (
    card,
    field,
    form_card,
    labelled_switch,
    submit_button,
    text_area_field,
)
from components.image_upload import ImageUpload, image_upload
from state.admin_branding import BrandingState
from state.admin_domains import DomainsState
from state.admin_meeting_settings import MeetingSettingsState
from state.locale import t
from state.tenant import TenantState


def _checkboxes(
    codes: tuple[str, ...],
    labels: dict[str, rx.Var[str] | str],
    chosen: rx.Var[list[str]],
    on_change: object,
) -> rx.Component:
    return rx.flex(
        *[
            rx.checkbox(
                labels[code],
                checked=chosen.contains(code),
                on_change=lambda on, c=code: on_change(c, on),
            )  # type: ignore[operator]
            for code in codes
        ],
        wrap="wrap",
        spacing="4",
    )


def _image_field(kind: AssetKind, on_upload: object) -> rx.Component:
    limits = brand_assets.LIMITS[kind]
    upload_id = f"{kind.value}-upload"
    extensions = {
        "image/png": [".png"],
        "image/jpeg": [".jpg", ".jpeg"],
        "image/webp": [".webp"],
        "image/x-icon": [".ico"],
    }
    return image_upload(
        ImageUpload(
            upload_id=upload_id,
            label=t(f"branding.{kind.value}"),
            help_text=t(f"branding.{kind.value}_help"),
            current_url=BrandingState.values[f"{kind.value}_url"],
            empty_text=t("branding.no_image"),
            choose_text=t("branding.choose_image"),
            upload_label=t("branding.upload"),
            remove_label=t("branding.remove"),
            accept={ct: extensions[ct] for ct in limits.formats.values()},
            max_bytes=limits.max_bytes,
            on_upload=on_upload(rx.upload_files(upload_id=upload_id)),  # type: ignore[operator]
            on_remove=BrandingState.remove_image(kind.value),
        )
    )


def _images() -> rx.Component:
    return card(
        t("branding.images"),
        rx.grid(
            _image_field(AssetKind.LOGO, BrandingState.upload_logo),
            _image_field(AssetKind.FAVICON, BrandingState.upload_favicon),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="5",
            width="100%",
        ),
        id="branding-images",
    )


def _meeting_settings() -> rx.Component:
    return form_card(
        t("meeting_settings.title"),
        error_callout(MeetingSettingsState.error),
        notice_callout(MeetingSettingsState.notice),
        field(
            t("meeting_settings.file_max_mb"),
            "file_max_mb",
            type="number",
            default_value=MeetingSettingsState.file_max_mb,
            key=MeetingSettingsState.file_max_mb,
            min="1",
            max="25",
        ),
        rx.heading(t("meeting_settings.file_types"), size="3", as_="h3"),
        _checkboxes(
            FILE_TYPES,
            {k: k.upper() for k in FILE_TYPES},
            MeetingSettingsState.file_types,
            MeetingSettingsState.toggle_type,
        ),
        labelled_switch(
            "meeting-media-on",
            t("meeting_settings.media_on"),
            MeetingSettingsState.media_on,
            MeetingSettingsState.set_media_on,
        ),
        labelled_switch(
            "meeting-lobby",
            t("meeting_settings.lobby"),
            MeetingSettingsState.lobby,
            MeetingSettingsState.set_lobby,
        ),
        _guest_privacy_notice(),
        text_area_field(
            t("meeting_settings.feedback_text"),
            "feedback_text",
            default_value=MeetingSettingsState.feedback_text,
            key=MeetingSettingsState.feedback_text,
            rows="3",
        ),
        field(
            t("meeting_settings.feedback_url"),
            "feedback_url",
            type="url",
            default_value=MeetingSettingsState.feedback_url,
            key=MeetingSettingsState.feedback_url,
        ),
        rx.box(submit_button(t("common.save"), id="meeting-settings-save")),
        on_submit=MeetingSettingsState.save,
    )


def _guest_privacy_notice() -> rx.Component:
    """The notice meeting guests agree to: the tenant's own, else the platform's default if
    adopted; without either, guests are kept out (said in red, with what to do)."""
    return rx.vstack(
        rx.heading(t("meeting_settings.notice_heading"), size="3", as_="h3"),
        rx.cond(
            TenantState.privacy_url != "",
            rx.text(
                t("meeting_settings.notice_own"),
                " ",
                rx.link(TenantState.privacy_url, href=TenantState.privacy_url, is_external=True),
                size="2",
            ),
            rx.vstack(
                rx.cond(
                    TenantState.privacy_href == "",
                    rx.callout(
                        t("meeting_settings.no_notice"),
                        icon="triangle_alert",
                        color_scheme="red",
                        id="meeting-no-notice",
                        width="100%",
                    ),
                ),
                labelled_switch(
                    "meeting-default-notice",
                    t("meeting_settings.default_notice"),
                    MeetingSettingsState.default_notice,
                    MeetingSettingsState.set_default_notice,
                ),
                rx.link(
                    t("meeting_settings.default_notice_preview"),
                    href=href(routes.PRIVACY_NOTICE),
                    is_external=True,
                    size="2",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _look(v: rx.Var) -> rx.Component:
    """Name, colours and the password policy."""
    return rx.grid(
        field(
            t("branding.tenant_name"), "name", required=True, default_value=v["name"], key=v["name"]
        ),
        field(
            t("branding.primary"),
            "primary_color",
            type="color",
            default_value=v["primary_color"],
            key=v["primary_color"],
        ),
        field(
            t("branding.accent"),
            "accent_color",
            type="color",
            default_value=v["accent_color"],
            key=v["accent_color"],
        ),
        field(
            t("branding.min_length"),
            "password_min_length",
            type="number",
            default_value=v["password_min_length"],
            key=v["password_min_length"],
            min="8",
            max="128",
        ),
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="3",
        width="100%",
    )


def _links(v: rx.Var) -> rx.Component:
    """Links in every page's footer, who may embed the pages, the sender."""
    return rx.grid(
        field(
            t("branding.privacy"),
            "privacy_url",
            type="url",
            default_value=v["privacy_url"],
            key=v["privacy_url"],
        ),
        field(
            t("branding.imprint"),
            "imprint_url",
            type="url",
            default_value=v["imprint_url"],
            key=v["imprint_url"],
        ),
        field(
            t("branding.terms"),
            "terms_url",
            type="url",
            default_value=v["terms_url"],
            key=v["terms_url"],
        ),
        field(
            t("branding.embed_origins"),
            "embed_origins",
            default_value=v["embed_origins"],
            key=v["embed_origins"],
            help_text=t("branding.embed_origins_help"),
        ),
        field(
            t("branding.mail_from"), "mail_from", default_value=v["mail_from"], key=v["mail_from"]
        ),
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="3",
        width="100%",
    )


def _default_language(v: rx.Var) -> rx.Component:
    """The language a visitor gets when their browser asks for none offered."""
    return rx.vstack(
        rx.el.label(
            t("branding.default_language"),
            html_for="field-default_language",
            style={"fontWeight": "500", "fontSize": "0.9em"},
        ),
        rx.el.select(
            *[rx.el.option(LANGUAGE_NAMES[code], value=code) for code in LANGUAGES],
            id="field-default_language",
            name="default_language",
            default_value=v["default_language"],
            key=v["default_language"],
            style={
                "padding": "0.5em",
                "borderRadius": "6px",
                "border": "1px solid var(--gray-7)",
                "background": "var(--color-surface)",
                "maxWidth": "240px",
            },
        ),
        spacing="1",
    )


def _smtp_form() -> rx.Component:
    """The tenant's own mail server (for meeting invitations; the password is never shown)."""
    return form_card(
        t("branding.smtp_title"),
        rx.grid(
            field(
                t("branding.smtp_host"),
                "smtp_host",
                default_value=BrandingState.smtp_host,
                key=BrandingState.smtp_host,
            ),
            field(
                t("branding.smtp_port"),
                "smtp_port",
                type="number",
                default_value=BrandingState.smtp_port,
                key=BrandingState.smtp_port,
            ),
            field(
                t("branding.smtp_user"),
                "smtp_username",
                default_value=BrandingState.smtp_username,
                key=BrandingState.smtp_username,
            ),
            field(
                t("branding.smtp_password"),
                "smtp_password",
                type="password",
                autocomplete="new-password",
                help_text=t("branding.smtp_password_keep"),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        rx.box(submit_button(t("common.save"))),
        on_submit=BrandingState.save_smtp,
    )


def _branding_form() -> rx.Component:
    """Look, languages, modules and links: saved together, shown at once on every page."""
    v = BrandingState.values
    return form_card(
        t("branding.look"),
        _look(v),
        rx.heading(t("branding.languages"), size="3", as_="h3"),
        _checkboxes(
            LANGUAGES,
            dict(LANGUAGE_NAMES),
            BrandingState.languages,
            BrandingState.toggle_language,
        ),
        _default_language(v),
        rx.heading(t("branding.modules"), size="3", as_="h3"),
        _checkboxes(
            BUILT_MODULES,
            {m: t(f"module.{m}") for m in BUILT_MODULES},
            BrandingState.modules,
            BrandingState.toggle_module,
        ),
        rx.heading(t("branding.links"), size="3", as_="h3"),
        _links(v),
        rx.box(submit_button(t("common.save"), id="branding-save")),
        on_submit=BrandingState.save,
    )


def admin_branding() -> rx.Component:
    """The settings page; saving changes the look of every page at once."""
    return protected(
        title("branding.title"),
        rx.vstack(
            error_callout(BrandingState.error),
            notice_callout(BrandingState.notice),
            _images(),
            _branding_form(),
            domains_section(),
            _smtp_form(),
            _meeting_settings(),
            spacing="4",
            width="100%",
        ),
    )


ON_LOAD = on_load("admin", BrandingState.load, DomainsState.load, MeetingSettingsState.load)
