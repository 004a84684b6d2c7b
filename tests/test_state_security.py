"""Browser-reachable surface of the Reflex states: no generated setters, no server secrets."""

from __future__ import annotations

import importlib
import pkgutil

import reflex as rx

import state

for module in pkgutil.iter_modules(state.__path__):
    importlib.import_module(f"state.{module.name}")

OUR_STATES = [cls for cls in rx.State.get_substates() if cls.__module__.startswith("state.")]
# The session cookie is the browser's own credential; the manual TOTP key is shown to its owner
# once during enrolment, as every authenticator setup does.
ALLOWED_SENSITIVE = {
    ("SessionState", "token"),
    ("AccountState", "manual_key"),
    ("BrandingState", "smtp_password_set"),  # a flag, not the password
}


def test_every_feature_state_is_checked() -> None:
    names = {cls.__name__ for cls in OUR_STATES}
    assert {"SessionState", "AdminUsersState", "AccountState", "LoginState"} <= names


def test_states_expose_only_handlers_written_by_hand() -> None:
    for cls in OUR_STATES:
        written = {name for name in vars(cls) if name in cls.event_handlers}
        generated = set(cls.event_handlers) - written
        assert not generated, f"{cls.__name__} exposes generated handlers {sorted(generated)}"


def test_no_secret_reaches_the_browser() -> None:
    for cls in OUR_STATES:
        for name in cls.base_vars:
            if name.startswith("_") or (cls.__name__, name) in ALLOWED_SENSITIVE:
                continue
            assert not any(word in name for word in ("secret", "password", "token", "hash")), (
                f"{cls.__name__}.{name} looks secret but is sent to the browser"
            )
