"""Admins read the tenant's mail log and edit mail templates with a live preview.

The log shows personal links as "[personal link]" (see ``app.services.mail_outbox``);
template rendering runs in a sandbox child process, and the guard runs every handler body
off the event loop, so a costly template stalls nobody. Previews take a turn at the render
children (``mail_templates.preview``): a refusal ("busy, try again", too many previews, a
template using ``{{ link }}``) shows as the page's error and changes nothing.
"""

from __future__ import annotations

import reflex as rx

from app.i18n import LANGUAGES
from app.services import mail_outbox, mail_templates
from app.services.errors import DomainError
from app.services.guard import ADMINS
from state.guard import Acting, acting


def mail_row(act: Acting, m: mail_outbox.MailView) -> dict[str, str]:
    """One row of a mail list (components.outbox), dates in the viewer's zone."""
    return {
        "id": str(m.id),
        "tenant": m.tenant_slug,
        "to": m.to_address,
        "subject": m.subject,
        "status_key": f"mail.status.{m.status}",
        "created": act.when(m.created_at),
        "error": act.text(m.last_error) if m.last_error else "",
    }


class AdminMailState(rx.State):
    """The mail log, one opened mail, and the template editor."""

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
        self.mails = [mail_row(act, m) for m in mail_outbox.list_mails(act.db, act.ctx)]

    def _load_template(self, act: Acting) -> None:
        source = mail_templates.get_template(
            act.db, act.ctx, self.template_key, self.template_locale
        )
        self.subject, self.body_html, self.body_text = (
            source.subject,
            source.body_html,
            source.body_text,
        )
        self.customised = source.customised
        self.revision += 1
        self.preview_subject = self.preview_html = ""
        try:  # the editor opens even when the preview is refused (busy, or a template saved
            rendered = mail_templates.preview(act.db, act.ctx, source)  # before with {{ link }})
        except DomainError as exc:
            self.error = act.text(exc.key, **exc.params)
            return
        self.preview_subject, self.preview_html = rendered.subject, rendered.html

    @rx.event
    @acting(ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: the mail log and the first template."""
        self.opened_html = ""
        self.template_locale = act.caller.lang if act.caller.lang in LANGUAGES else "de"
        self._reload(act)
        self._load_template(act)

    @rx.event
    @acting(ADMINS)
    def open_mail(self, act: Acting, mail_id: str) -> None:
        """Show one mail as the log keeps it (personal links hidden)."""
        opened = mail_outbox.get_mail(act.db, act.ctx, mail_id)
        self.opened_subject, self.opened_html = opened.subject, opened.body_html

    @rx.event
    def close_mail(self) -> None:
        """Close the opened mail."""
        self.opened_html = ""

    @rx.event
    @acting(ADMINS)
    def choose_template(self, act: Acting, key: str) -> None:
        """Edit another template."""
        if key in mail_templates.TEMPLATE_KEYS:
            self.template_key = key
        self._load_template(act)

    @rx.event
    @acting(ADMINS)
    def choose_locale(self, act: Acting, locale: str) -> None:
        """Edit the template in another language."""
        if locale in LANGUAGES:
            self.template_locale = locale
        self._load_template(act)

    def _source(self) -> mail_templates.TemplateSource:
        return mail_templates.TemplateSource(
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
        rendered = mail_templates.preview(act.db, act.ctx, self._source())
        self.preview_subject, self.preview_html = rendered.subject, rendered.html

    @rx.event
    @acting(ADMINS)
    def save(self, act: Acting) -> None:
        """Store the edited template (refused if it does not render)."""
        mail_templates.save_template(act.db, act.ctx, self._source())
        act.db.flush()
        self._load_template(act)
        self.notice = act.text("mail.template_saved")

    @rx.event
    @acting(ADMINS)
    def restore_default(self, act: Acting) -> None:
        """Drop the tenant's version of this template."""
        mail_templates.reset_template(act.db, act.ctx, self.template_key, self.template_locale)
        act.db.flush()
        self._load_template(act)
        self.notice = act.text("mail.template_reset")
