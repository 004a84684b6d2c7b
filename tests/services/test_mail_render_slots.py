"""One tenant admin's previews cannot stall every tenant's handlers (the render slots).

Before: a preview waited, without a time limit, for one of the two sandbox children while
holding one of the 12 shared handler threads. An admin firing 14 expensive previews at once
held every thread for their turn: a trivial click of another tenant waited 5.8 s, and
another tenant's "forgot password" queued behind the previews for a render child. Now a
preview waits briefly for its share of the children (all but one), a tenant has one preview
in flight at a time, previews are rate-limited per tenant, and outgoing mails wait for the
child no preview may take.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session, select

from app.i18n import translate
from app.models import MailTemplate, OutboundMail, Tenant
from app.services import mail_templates, rate_limits, sessions
from app.services.errors import InvalidInput
from app.services.guard import ADMINS
from app.services.mail_templates import TemplateSource
from app.settings import get_settings
from state.admin_mail import AdminMailState
from state.guard import Acting, acting
from state.locale import LocaleState
from state.recovery import RecoveryState
from state.tenant import TenantState
from tests.factories import TenantWorld

PREVIEWS = 14
EXPENSIVE = (  # burns the child's CPU until the 3 s wall-clock limit or the 2 s CPU limit
    '{% for a in "x" * 100000 %}{% for b in "y" * 100000 %}{% endfor %}{% endfor %}'
)
TRIVIAL_BOUND = 1.0
"""A click that touches one row answers within this while the previews run."""
FORGOT_BOUND = 2.0
"""Another tenant's forgot-password (a render in a child) answers within this."""


class FakePage:
    """Just enough of a Reflex state for the guard: the socket's cookie, the page's tenant."""

    base_vars = {"error": None, "notice": None}

    def __init__(self, token: str, tenant_id: int) -> None:
        self.error = self.notice = self.preview_html = self.preview_subject = ""
        self.done = False
        self.template_key, self.template_locale = "invitation", "en"
        self.subject, self.body_html, self.body_text = "Hello", EXPENSIVE, "text"
        self.router = SimpleNamespace(
            headers=SimpleNamespace(cookie=f"{sessions.COOKIE_NAME}={token}" if token else ""),
            session=SimpleNamespace(client_ip="127.0.0.1"),
        )
        self._parts: dict[type, Any] = {
            TenantState: SimpleNamespace(_tenant_id_in=lambda _db: tenant_id),
            LocaleState: SimpleNamespace(lang="en"),
        }

    _source = AdminMailState._source

    async def get_state(self, cls: type) -> Any:
        return self._parts[cls]

    @acting(ADMINS)
    def tenant_name(self, act: Acting) -> str:
        tenant = act.db.get(Tenant, act.ctx.tenant_id)
        assert tenant is not None
        return tenant.name


async def _timed(call: Any) -> float:
    started = time.monotonic()
    await call
    return time.monotonic() - started


async def test_many_expensive_previews_leave_other_tenants_handlers_alone(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    alpha_token = sessions.open_session(db, alpha.admin, second_factor_passed=True)
    beta_token = sessions.open_session(db, beta.admin, second_factor_passed=True)
    db.commit()
    preview = AdminMailState.event_handlers["preview"].fn
    forgot = RecoveryState.event_handlers["forgot"].fn
    attackers = [FakePage(alpha_token, alpha.tenant.id or 0) for _ in range(PREVIEWS)]
    started = time.monotonic()
    previews = [asyncio.create_task(_timed(preview(page))) for page in attackers]
    await asyncio.sleep(0.3)  # the previews have taken what they can
    click = await _timed(FakePage(beta_token, beta.tenant.id or 0).tenant_name())
    visitor = FakePage("", beta.tenant.id or 0)
    reset = await _timed(forgot(visitor, {"email": "advisor@beta.example"}))
    preview_times = await asyncio.gather(*previews)
    total = time.monotonic() - started
    print(
        f"\n{PREVIEWS} expensive previews (all done after {total:.1f} s, slowest "
        f"{max(preview_times):.1f} s): another tenant's click {click:.2f} s, "
        f"its forgot-password {reset:.2f} s"
    )
    assert visitor.error == "" and visitor.done
    assert db.exec(select(OutboundMail.to_address)).all() == ["advisor@beta.example"]
    assert click < TRIVIAL_BOUND and reset < FORGOT_BOUND
    busy = translate("en", "error.template_busy")
    expensive = translate("en", "error.template_too_expensive")
    outcomes = sorted(page.error for page in attackers)
    assert set(outcomes) <= {busy, expensive} and outcomes.count(expensive) >= 1
    assert max(preview_times) < 2 * mail_templates.mail_renderer.WALL_SECONDS


def test_a_tenants_second_preview_while_the_first_renders_is_refused_as_busy(
    db: Session, alpha: TenantWorld, beta: TenantWorld
) -> None:
    source = TemplateSource("invitation", "en", "Hello", EXPENSIVE, "text", customised=True)
    first: list[BaseException] = []

    def render_first() -> None:
        try:
            mail_templates.preview(db, alpha.admin_ctx, source)
        except InvalidInput as exc:
            first.append(exc)

    thread = threading.Thread(target=render_first)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        mail_templates.preview(db, alpha.admin_ctx, source)
    assert refused.value.key == "error.template_busy"
    assert time.monotonic() - started < 0.5  # refused at once, no thread held
    started = time.monotonic()  # another tenant's preview waits briefly for its share
    cheap = TemplateSource("invitation", "en", "Hello", "<p>{{ name }}</p>", "", customised=True)
    with contextlib.suppress(InvalidInput):
        mail_templates.preview(db, beta.admin_ctx, cheap)
    assert time.monotonic() - started < get_settings().mail_preview_wait_seconds + 0.5
    thread.join(timeout=10)
    assert [e.key for e in first] == ["error.template_too_expensive"]  # type: ignore[attr-defined]


def test_previews_are_rate_limited_per_tenant(
    db: Session, alpha: TenantWorld, beta: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSILIO_LIMIT_TEMPLATE_PREVIEWS", "3/minute")
    get_settings.cache_clear()
    source = mail_templates.default_source("invitation", "en")
    for _ in range(3):
        mail_templates.preview(db, alpha.admin_ctx, source)
    with pytest.raises(rate_limits.TooManyAttempts) as refused:
        mail_templates.preview(db, alpha.admin_ctx, source)
    assert refused.value.key == "error.template_previews_seconds"
    assert "previews" in translate("en", refused.value.key, **refused.value.params)
    with pytest.raises(rate_limits.TooManyAttempts):
        mail_templates.save_template(db, alpha.admin_ctx, source)
    mail_templates.preview(db, beta.admin_ctx, source)  # another tenant's own budget
    monkeypatch.undo()
    get_settings.cache_clear()


CHEAP_FOR_THE_SAMPLE = (  # 12**4 steps for "Maria Muster", 120**4 for a long real name
    "<p>Hello {{ name }}</p>{% for a in name %}{% for b in name %}{% for c in name %}"
    "{% for d in name %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)


def test_template_cheap_for_the_sample_but_expensive_for_real_names_is_not_saved(
    db: Session, alpha: TenantWorld
) -> None:
    source = TemplateSource(
        "invitation", "en", "Hello", CHEAP_FOR_THE_SAMPLE, "text", customised=True
    )
    assert "Maria Muster" in mail_templates.preview(db, alpha.admin_ctx, source).html
    with pytest.raises(InvalidInput) as refused:
        mail_templates.save_template(db, alpha.admin_ctx, source)
    assert refused.value.key == "error.template_too_expensive"
    assert db.exec(select(MailTemplate)).all() == []


def test_ordinary_template_with_long_unicode_names_is_saved(
    db: Session, alpha: TenantWorld
) -> None:
    source = TemplateSource(
        "meeting_invitation",
        "en",
        "{{ title|truncate(40) }}",
        "<p>{{ name|title }}, {{ host|upper }} invites you: {{ title|wordwrap(30) }}</p>",
        "{{ name }} {{ title|length }}",
        customised=True,
    )
    mail_templates.save_template(db, alpha.admin_ctx, source)
    assert len(db.exec(select(MailTemplate)).all()) == 1


def test_a_preview_stopped_as_too_expensive_costs_more_of_the_budget(
    db: Session, alpha: TenantWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSILIO_LIMIT_TEMPLATE_PREVIEWS", "6/minute")
    get_settings.cache_clear()
    attack = TemplateSource("invitation", "en", "Hello", "{{ 9**(9**7) }}", "", customised=True)
    with pytest.raises(InvalidInput, match="too_expensive"):
        mail_templates.preview(db, alpha.admin_ctx, attack)
    mail_templates.preview(db, alpha.admin_ctx, mail_templates.default_source("invitation", "en"))
    with pytest.raises(rate_limits.TooManyAttempts):  # 5 + 1 of 6 used
        mail_templates.preview(db, alpha.admin_ctx, attack)
    monkeypatch.undo()
    get_settings.cache_clear()
