"""Builds the Reflex app: pages (each under / and /t/[tenant]), the REST API, start-up tasks."""

from __future__ import annotations

import logging
import sys

import reflex as rx
from reflex.utils.exec import get_compile_context

from app import lifecycle, routes
from app.api.server import api_transformers
from app.pages import (
    account,
    admin_audit,
    admin_branding,
    admin_jobs,
    admin_mail,
    admin_teams,
    admin_users,
    dashboards,
    landing,
    login,
    meeting,
    not_found,
    password_pages,
    platform_health,
    platform_outbox,
    platform_tenants,
    privacy_notice,
    second_factor,
    test_center,
)
from app.pages.layout import forbidden_view, on_load, page, tab_title
from app.services import keys
from app.settings import get_settings

logging.basicConfig(level=get_settings().log_level, format="%(levelname)s %(name)s: %(message)s")
# `reflex run` imports this module to compile before it serves, and every backend worker
# imports it again: both stop here with an unsafe key. Exporting the frontend signs nothing.
if get_compile_context() != rx.constants.CompileContext.EXPORT:
    keys.refuse_unsafe_secret_key()
# Handlers' bodies run in worker threads (state/guard.py); the event loop that serves every
# browser of this process gets the interpreter back from them within 1 ms instead of 5 ms.
sys.setswitchinterval(0.001)

PAGES = [
    (routes.LANDING, landing.landing, landing.ON_LOAD, ""),
    (routes.LOGIN, login.login, login.ON_LOAD, "login.title"),
    (routes.SECOND_FACTOR, second_factor.second_factor, second_factor.ON_LOAD, "login.code_title"),
    (
        routes.FORGOT_PASSWORD,
        password_pages.forgot_password,
        password_pages.FORGOT_ON_LOAD,
        "forgot.title",
    ),
    (
        routes.RESET_PASSWORD,
        password_pages.reset_password,
        password_pages.LINK_ON_LOAD,
        "reset.title",
    ),
    (routes.ACTIVATE, password_pages.activate, password_pages.LINK_ON_LOAD, "activate.title"),
    (routes.HOME, dashboards.home, dashboards.HOME_ON_LOAD, "nav.home"),
    (routes.ADVISOR, dashboards.advisor_dashboard, dashboards.ADVISOR_ON_LOAD, "nav.dashboard"),
    (routes.CUSTOMER, dashboards.customer_home, dashboards.CUSTOMER_ON_LOAD, "nav.home"),
    (routes.ACCOUNT, account.account, account.ON_LOAD, "account.title"),
    (routes.ADMIN_USERS, admin_users.admin_users, admin_users.ON_LOAD, "users.title"),
    (routes.ADMIN_TEAMS, admin_teams.admin_teams, admin_teams.ON_LOAD, "teams.title"),
    (
        routes.ADMIN_BRANDING,
        admin_branding.admin_branding,
        admin_branding.ON_LOAD,
        "branding.title",
    ),
    (routes.ADMIN_MAIL, admin_mail.admin_mail, admin_mail.ON_LOAD, "mail.title"),
    (routes.ADMIN_AUDIT, admin_audit.admin_audit, admin_audit.ON_LOAD, "audit.title"),
    (routes.ADMIN_JOBS, admin_jobs.admin_jobs, admin_jobs.ON_LOAD, "jobs.title"),
    (
        routes.PLATFORM_TENANTS,
        platform_tenants.platform_tenants,
        platform_tenants.ON_LOAD,
        "tenants.title",
    ),
    (
        routes.PLATFORM_HEALTH,
        platform_health.platform_health,
        platform_health.ON_LOAD,
        "health.title",
    ),
    # Every tenant's mails with live links: only on a developer's machine.
    *(
        [
            (
                routes.PLATFORM_OUTBOX,
                platform_outbox.platform_outbox,
                platform_outbox.ON_LOAD,
                "outbox.title",
            )
        ]
        if get_settings().dev_mode
        else []
    ),
    (routes.MEETING, meeting.meeting, meeting.ON_LOAD, "meeting.title"),
    (routes.TEST_CENTER, test_center.test_center, test_center.ON_LOAD, "test.title"),
    (
        routes.PRIVACY_NOTICE,
        privacy_notice.privacy_notice,
        privacy_notice.ON_LOAD,
        "privacy_notice.title",
    ),
    (routes.FORBIDDEN, lambda: page(forbidden_view()), on_load(None), "forbidden.title"),
]

app = rx.App(
    stylesheets=["/styles.css", "/meeting.css"],
    api_transformer=api_transformers(),
)
app.register_lifespan_task(lifecycle.run_background_services)

# Each tab names its page and tenant in the visitor's language (React keeps <title> current).
for path, component, load, title_key in PAGES:
    for route in (path, routes.tenant_route(path)):
        app.add_page(component, route=route, on_load=load, title=tab_title(title_key))
# Every address no page matches (also below /t/{slug}/): in the tenant's look, with a way back.
app.add_page(
    not_found.not_found,
    route=routes.NOT_FOUND,
    on_load=not_found.ON_LOAD,
    title=tab_title("notfound.title"),
)
