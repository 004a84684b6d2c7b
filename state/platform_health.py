"""Super admins see what the platform's own configuration lacks (TURN relay, video servers)."""

from __future__ import annotations

import reflex as rx

from app.services import platform_health
from app.services.guard import SUPER_ADMINS
from state.guard import Acting, acting


class PlatformHealthState(rx.State):
    """The findings of the last check, translated (check, status, text)."""

    error: str = ""
    findings: list[dict[str, str]] = []

    @rx.event
    @acting(SUPER_ADMINS)
    def load(self, act: Acting) -> None:
        """on_load and "check again": ask every part of the platform."""
        self.findings = [
            {
                "check": finding.check,
                "status": finding.status,
                "text": act.text(finding.message, **finding.params),
            }
            for finding in platform_health.check_platform(act.db, act.ctx)
        ]
