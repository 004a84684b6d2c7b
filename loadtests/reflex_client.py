"""Speaks to a Reflex app the way its browser frontend does, over one Socket.IO websocket.

A Reflex page is static HTML; everything a user does is an event sent over the `/_event`
websocket, answered by state deltas. A page is ready when the root state reports
``is_hydrated`` after its on_load handlers ran; a form submit is answered when a redirect
arrives or the form's state shows an error. Cookie vars (the language) come back in deltas
and are sent with the next page load, as the browser does. The session cookie is HttpOnly:
after sign-in the app sends the tab to an HTTP address that sets it (a full navigation);
this client follows it like a browser and reconnects its websocket with the cookie.

The wire format was read off Chromium talking to Consilio (Reflex 0.10).
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import socketio

ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
FIELD = "_rx_state_"
COOKIE_VARS = {
    f"{ROOT_STATE}.state___locale____locale_state": "lang",
}
# What state.session.full_navigation sends: leave the app for a plain HTTP request.
FULL_NAVIGATION = re.compile(r"window\.location\.replace\((\"[^\"]*\")\)")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def state_name(module: str, cls: str) -> str:
    """Reflex's full name of a state class, e.g. ``state.login.LoginState``."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in cls).lstrip("_")
    return f"{ROOT_STATE}.state___{module}____{snake}"


class ReflexTimeout(Exception):
    """The app did not answer an event in time."""


class ReflexClient:
    """One browser tab: a client token, its cookie vars and the websocket."""

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.token = str(uuid.uuid4())
        self.cookies: dict[str, Any] = {}
        self.http_cookies: dict[str, str] = {}
        self.pathname = "/"
        self._sio = self._new_socket()
        self._lock = threading.Lock()
        self._waiter: Callable[[dict[str, Any]], bool] | None = None
        self._done = threading.Event()
        self.last_redirect = ""
        self.last_navigation = ""
        self.last_delta: dict[str, Any] = {}

    # --- connection -------------------------------------------------------------------
    def _new_socket(self) -> socketio.Client:
        sio = socketio.Client(reconnection=False)
        sio.on("event", self._on_update, namespace="/_event")
        return sio

    def connect(self) -> None:
        """Open the websocket (what the page's JS does after the HTML loaded), sending the
        tab's HTTP cookies with the handshake as a browser does."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.http_cookies.items())
        self._sio.connect(
            f"{self.base_url}?token={self.token}",
            headers={"Cookie": cookie} if cookie else {},
            namespaces=["/_event"],
            socketio_path="_event",
            transports=["websocket"],
            wait_timeout=self.timeout,
        )

    def close(self) -> None:
        """Close the websocket (the tab is closed)."""
        if self._sio.connected:
            self._sio.disconnect()

    def follow_navigation(self) -> str:
        """Follow the full navigation the app asked for (e.g. to collect the session cookie
        after sign-in): the HTTP request with its redirect, then a fresh websocket.

        Returns:
            The path the tab ends up on (also in ``last_redirect``).
        """
        target = self.last_navigation
        self.last_navigation = ""
        for _ in range(5):
            if not target.startswith("/api/"):
                break
            target = self.http_get(target)
        self.close()
        self._sio = self._new_socket()
        self.connect()
        self.last_redirect = target
        return target

    def http_get(self, path: str, *, site: str = "same-origin") -> str:
        """A GET with the tab's cookies (and ``Sec-Fetch-Site``), keeping the cookies the
        answer sets; returns where it redirects (or ``path``)."""
        request = urllib.request.Request(self.base_url + path)  # noqa: S310 (app's own URL)
        cookie = "; ".join(f"{k}={v}" for k, v in self.http_cookies.items())
        if cookie:
            request.add_header("Cookie", cookie)
        request.add_header("Sec-Fetch-Site", site)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:  # 3xx arrive here without a redirect handler
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.http_cookies.pop(name, None)
                else:
                    self.http_cookies[name] = morsel.value
        location = response.headers.get("Location") or path
        return urlsplit(location).path + (
            f"?{urlsplit(location).query}" if urlsplit(location).query else ""
        )

    # --- what users do ----------------------------------------------------------------
    def load_page(self, pathname: str, params: dict[str, str]) -> dict[str, Any]:
        """A full page load: hydrate with the cookie vars, run the page's on_load handlers."""
        self.pathname = pathname
        return self._send(HYDRATE, {"vars": self._cookie_payload()}, params, self._hydrated)

    def navigate(self, pathname: str, params: dict[str, str]) -> dict[str, Any]:
        """A client-side navigation (a link in the app): only the on_load handlers run."""
        self.pathname = pathname
        return self._send(ON_LOAD, None, params, self._hydrated)

    def submit(
        self, handler: str, form: dict[str, str], params: dict[str, str], error_state: str
    ) -> dict[str, Any]:
        """Submit a form to ``handler``; answered by a redirect or by ``error_state``'s error."""
        payload = {"form": {"__reflex_form_data__": [[k, v] for k, v in form.items()]}}
        self.last_redirect = self.last_navigation = ""

        def answered(update: dict[str, Any]) -> bool:
            if self.last_redirect or self.last_navigation:
                return True
            error = update.get("delta", {}).get(error_state, {}).get(f"error{FIELD}")
            return bool(error)

        delta = self._send(handler, payload, params, answered)
        if self.last_navigation:
            self.follow_navigation()
        return delta

    def call(self, handler: str, payload: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        """Call any event handler with any payload, as a scripted browser could; answered by
        the first update (a refused call is answered by an error in the delta, or nothing)."""
        return self._send(handler, payload, params, lambda _update: True)

    # --- plumbing ---------------------------------------------------------------------
    def _cookie_payload(self) -> dict[str, Any]:
        return {f"{name}{FIELD}": value for name, value in self.cookies.items()}

    @staticmethod
    def _hydrated(update: dict[str, Any]) -> bool:
        return update.get("delta", {}).get(ROOT_STATE, {}).get(f"is_hydrated{FIELD}") is True

    def _send(
        self,
        name: str,
        payload: dict[str, Any] | None,
        params: dict[str, str],
        done: Callable[[dict[str, Any]], bool],
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "name": name,
            "router_data": {"pathname": self.pathname, "asPath": self.pathname, "query": params},
        }
        if payload is not None:
            event["payload"] = payload
        with self._lock:
            self._waiter, self.last_delta = done, {}
            self._done.clear()
        self._sio.emit("event", event, namespace="/_event")
        if not self._done.wait(self.timeout):
            raise ReflexTimeout(f"{name} on {self.pathname}: no answer in {self.timeout}s")
        return self.last_delta

    def _on_update(self, update: dict[str, Any]) -> None:
        for state, values in update.get("delta", {}).items():
            self.last_delta.setdefault(state, {}).update(values)
            short = COOKIE_VARS.get(state)
            if short and f"{short}{FIELD}" in values:
                self.cookies[f"{state}.{short}"] = values[f"{short}{FIELD}"]
        for event in update.get("events", []):
            if event.get("name") == "_redirect":
                self.last_redirect = str(event.get("payload", {}).get("path", ""))
            if event.get("name") == "_call_script":
                code = str(event.get("payload", {}).get("javascript_code", ""))
                if match := FULL_NAVIGATION.search(code):
                    self.last_navigation = json.loads(match.group(1))
        with self._lock:
            if self._waiter is not None and self._waiter(update):
                self._waiter = None
                self._done.set()


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``action`` and return (milliseconds, result)."""
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result
