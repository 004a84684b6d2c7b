"""Speaks to a Reflex app the way its browser frontend does, over one Socket.IO websocket.

A Reflex page is static HTML; everything a user does is an event sent over the `/_event`
websocket, answered by state deltas. A page is ready when the root state reports
``is_hydrated`` after its on_load handlers ran; a form submit is answered when a redirect
arrives or the form's state shows an error. Cookie vars (the session token, the language)
come back in deltas and are sent with the next page load, as the browser does.

The wire format was read off Chromium talking to Consilio (Reflex 0.10).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
FIELD = "_rx_state_"
COOKIE_VARS = {
    f"{ROOT_STATE}.state___session____session_state": "token",
    f"{ROOT_STATE}.state___locale____locale_state": "lang",
}


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
        self.pathname = "/"
        self._sio = socketio.Client(reconnection=False)
        self._sio.on("event", self._on_update, namespace="/_event")
        self._lock = threading.Lock()
        self._waiter: Callable[[dict[str, Any]], bool] | None = None
        self._done = threading.Event()
        self.last_redirect = ""
        self.last_delta: dict[str, Any] = {}

    # --- connection -------------------------------------------------------------------
    def connect(self) -> None:
        """Open the websocket (what the page's JS does after the HTML loaded)."""
        self._sio.connect(
            f"{self.base_url}?token={self.token}",
            namespaces=["/_event"],
            socketio_path="_event",
            transports=["websocket"],
            wait_timeout=self.timeout,
        )

    def close(self) -> None:
        """Close the websocket (the tab is closed)."""
        if self._sio.connected:
            self._sio.disconnect()

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
        self.last_redirect = ""

        def answered(update: dict[str, Any]) -> bool:
            if any(e.get("name") == "_redirect" for e in update.get("events", [])):
                return True
            error = update.get("delta", {}).get(error_state, {}).get(f"error{FIELD}")
            return bool(error)

        return self._send(handler, payload, params, answered)

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
        with self._lock:
            if self._waiter is not None and self._waiter(update):
                self._waiter = None
                self._done.set()


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``action`` and return (milliseconds, result)."""
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result
