"""Login + browse on the demo tenant, as advisors, customers, admins and anonymous visitors do.

Each simulated user is one browser tab: it fetches a page's HTML over HTTP, opens the Reflex
websocket, signs in through the login form and moves between the pages of its role. Every
step is timed from sending the event until the page is ready (on_load handlers done), and a
page that answers "access denied" to a signed-in user counts as a failure.

Run through `make loadtest` (which starts the app and writes a summary), or by hand:
    locust -f loadtests/locustfile.py --headless -u 20 -r 5 -t 60s --host http://127.0.0.1:3000
"""

from __future__ import annotations

from typing import Any, ClassVar

from locust import HttpUser, between, task

from app.services.demo import DEMO_PASSWORD
from loadtests.reflex_client import ReflexClient, state_name, timed

TENANT = "demo"
PARAMS = {"tenant": TENANT}
LOGIN_STATE = state_name("login", "LoginState")
SESSION_STATE = state_name("session", "SessionState")


def page(route: str) -> str:
    """Browser path of a demo-tenant page."""
    return f"/t/{TENANT}{route}".rstrip("/")


class Tab(HttpUser):
    """A browser tab on Consilio; subclasses say who signs in and where they go."""

    abstract = True
    wait_time = between(1, 3)
    email: ClassVar[str] = ""
    pages: ClassVar[tuple[str, ...]] = ()

    def on_start(self) -> None:
        self.tab = ReflexClient(self.host or "")
        self._step("connect", self.tab.connect)
        self.open(page("/login"))
        if self.email:
            self.sign_in()

    def on_stop(self) -> None:
        self.tab.close()

    # --- steps --------------------------------------------------------------------------
    def _step(self, name: str, action: Any, *, check: Any = None) -> Any:
        exception: Exception | None = None
        result = None
        elapsed = 0.0
        try:
            elapsed, result = timed(action)
            if check is not None:
                check(result)
        except Exception as exc:  # a failed step is reported, the user goes on
            exception = exc
        self.environment.events.request.fire(
            request_type="WS",
            name=name,
            response_time=elapsed,
            response_length=0,
            exception=exception,
            context={},
        )
        return result

    def open(self, path: str) -> None:
        """A full page load: HTML over HTTP, then hydrate over the websocket."""
        self.client.get(path, name=f"GET {path}")
        self._step(f"load {path}", lambda: self.tab.load_page(path, PARAMS), check=self._granted)

    def go(self, path: str) -> None:
        """Follow a link inside the app."""
        self._step(f"go {path}", lambda: self.tab.navigate(path, PARAMS), check=self._granted)

    def sign_in(self) -> None:
        form = {"email": self.email, "password": DEMO_PASSWORD}
        self._step(
            "login submit",
            lambda: self.tab.submit(f"{LOGIN_STATE}.submit", form, PARAMS, LOGIN_STATE),
            check=lambda _: self._redirected(),
        )
        if self.tab.last_redirect:
            self.go(self.tab.last_redirect)

    def _redirected(self) -> None:
        if not self.tab.last_redirect:
            raise AssertionError(f"login of {self.email} was refused")

    def _granted(self, delta: dict[str, Any]) -> None:
        access = delta.get(SESSION_STATE, {}).get("page_access_rx_state_")
        if self.email and access == "denied":
            raise AssertionError(f"{self.email} was denied {self.tab.pathname}")

    @task
    def browse(self) -> None:
        for path in self.pages:
            self.go(page(path))

    @task
    def reload(self) -> None:
        if self.pages:
            self.open(page(self.pages[0]))


class Advisor(Tab):
    weight = 3
    email = "anna.berger@alpina.example"
    pages = ("/advisor", "/account")


class Customer(Tab):
    weight = 3
    email = "max.muster@example.com"
    pages = ("/customer", "/account")


class Admin(Tab):
    weight = 1
    email = "admin@alpina.example"
    pages = ("/admin/users", "/admin/audit", "/admin/mail", "/admin/teams")


class Visitor(Tab):
    """Anonymous: landing page and login page, no sign-in."""

    weight = 1
    pages = ("/", "/login")

    def _granted(self, delta: dict[str, Any]) -> None:
        return None
