"""Super admins read the dev outbox of every tenant (dev mode only: mails kept because no SMTP
server is set up, with their live links)."""

from __future__ import annotations

import reflex as rx

from app.services import mail_outbox
from app.services.guard import SUPER_ADMINS
from state.admin_mail import mail_row
from state.guard import Acting, acting


class PlatformOutboxState(rx.State):
    """The dev outbox across tenants and one opened mail."""

    error: str = ""
    notice: str = ""
    mails: list[dict[str, str]] = []
    opened_subject: str = ""
    opened_html: str = ""

    @rx.event
    @acting(SUPER_ADMINS)
    def load(self, act: Acting) -> None:
        """on_load: newest kept mails first."""
        self.opened_html = ""
        self.mails = [mail_row(act, m) for m in mail_outbox.list_dev_outbox(act.db, act.ctx)]

    @rx.event
    @acting(SUPER_ADMINS)
    def open_mail(self, act: Acting, mail_id: str) -> None:
        """Show one mail as its recipient would see it."""
        opened = mail_outbox.get_dev_outbox_mail(act.db, act.ctx, mail_id)
        self.opened_subject, self.opened_html = opened.subject, opened.body_html

    @rx.event
    def close_mail(self) -> None:
        """Close the opened mail."""
        self.opened_html = ""
