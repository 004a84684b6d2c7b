"""Admins see sent mail / the dev outbox and edit mail templates with a live preview."""

from __future__ import annotations

import reflex as rx

from app.i18n import LANGUAGES
from app.models import OutboundMail
from app.services import mail
from app.services.guard import ADMINS
from state.guard import Acting, acting


def mail_row(act: Acting, m: OutboundMail, tenant: str = "") -> dict[str, str]:
    """One row of an outbox list (components.outbox), dates in the viewer's zone."""
    return {
        "id": str(m.id),
        "tenant": tenant,
        "to": m.to_address,
        "subject": m.subject,
        "status_key": f"mail.status.{m.status}",
        "created": act.when(m.created_at),
        "error": m.last_error,
    }


class AdminMailState(rx.State):
    """Outbox list, one opened mail, and the template editor."""

    error: str = ""
    notice: str = ""
    mails: list[dict[str, str]] = []
    opened_html: str = ""
    opened_subject: str = ""
    template_key: str = "invitation"
    template_locale: str = "de"
    subject: str = ""
    body_html: str = ""
    body_text: str = ""
    customised: bool = False
    preview_html: str = ""
    preview_subject: str = ""
    revision: int = 0

    def _reload(self, act: Acting) -> None:
        self.mails = [mail_row(act, m) for m in mail.list_mails(act.db, act.ctx)]

    def _load_template(self, act: Acting) -> None:
        source = mail.get_template(act.db, act.ctx, self.template_key, self.template_locale)
        self.subject, self.body_html, self.body_text = (
            source.subject,
            source.body_html,
            source.body_text,
        )
        self.customised = source.customised
        self.revision += 1
        rendered = mail.preview(act.db, act.ctx, source)
        self.preview_subject, self.preview_html = rendered.subject, rendered.html

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: outbox and the first template."""
        self.opened_html = ""
        self.template_locale = act.caller.lang if act.caller.lang in LANGUAGES else "de"
        self._reload(act)
        self._load_template(act)

    @rx.event
    @acting(ADMINS)
    def open_mail(self, act: Acting, mail_id: str) -> None:
        """Show one mail as the recipient sees it."""
        opened = mail.get_mail(act.db, act.ctx, mail_id)
        self.opened_subject, self.opened_html = opened.subject, opened.body_html

    @rx.event
    def close_mail(self) -> None:
        """Close the opened mail."""
        self.opened_html = ""

    @rx.event
    @acting(ADMINS)
    def choose_template(self, act: Acting, key: str) -> None:
        """Edit another template."""
        if key in mail.TEMPLATE_KEYS:
            self.template_key = key
        self._load_template(act)

    @rx.event
    @acting(ADMINS)
    def choose_locale(self, act: Acting, locale: str) -> None:
        """Edit the template in another language."""
        if locale in LANGUAGES:
            self.template_locale = locale
        self._load_template(act)

    def _source(self) -> mail.TemplateSource:
        return mail.TemplateSource(
            self.template_key,
            self.template_locale,
            self.subject,
            self.body_html,
            self.body_text,
            customised=True,
        )

    @rx.event
    def edit_draft(self, part: str, value: str) -> None:
        """Keep what the admin typed (subject, body_html or body_text) until preview or save."""
        if part in ("subject", "body_html", "body_text"):
            setattr(self, part, value[:50_001])

    @rx.event
    @acting(ADMINS)
    def preview(self, act: Acting) -> None:
        """Render the edited template with sample values, without saving."""
        rendered = mail.preview(act.db, act.ctx, self._source())
        self.preview_subject, self.preview_html = rendered.subject, rendered.html

    @rx.event
    @acting(ADMINS)
    def save(self, act: Acting) -> None:
        """Store the edited template (refused if it does not render)."""
        mail.save_template(act.db, act.ctx, self._source())
        act.db.flush()
        self._load_template(act)
        self.notice = act.text("mail.template_saved")

    @rx.event
    @acting(ADMINS)
    def restore_default(self, act: Acting) -> None:
        """Drop the tenant's version of this template."""
        mail.reset_template(act.db, act.ctx, self.template_key, self.template_locale)
        act.db.flush()
        self._load_template(act)
        self.notice = act.text("mail.template_reset")
