"""Browser-reachable surface of the Reflex states: no generated setters, no server secrets."""

from __future__ import annotations

import importlib
import pkgutil

import reflex as rx

import state

for module in pkgutil.iter_modules(state.__path__):
    importlib.import_module(f"state.{module.name}")

OUR_STATES = [cls for cls in rx.State.get_substates() if cls.__module__.startswith("state.")]
# The manual TOTP key is shown to its owner once during enrolment, as every authenticator
# setup does. (The session token is in no state at all: see state/session.py.)
ALLOWED_SENSITIVE = {
    ("AccountState", "manual_key"),
    ("BrandingState", "smtp_password_set"),  # a flag, not the password
}


# Every method a browser may call, per state. Any public method of a Reflex state is an event
# handler a browser can call with arguments of its choosing (decorated or not), so a new one
# fails this test until someone decides it is meant to be one (and guards it), or makes it
# private (``_name``) or a module function. ``setvar`` (Reflex's own) only reaches the
# ``set_*`` handlers listed here.
HANDLERS: dict[str, set[str]] = {
    "AccountState": {"cancel_2fa", "change_password", "confirm_2fa", "disable_2fa", "load",
                     "save_profile", "start_2fa"},
    "AdminAuditState": {"apply_filters", "clear_filters", "export_csv", "load", "show_target",
                        "verify"},
    "AdminJobsState": {"load"},
    "AdminMailState": {"choose_locale", "choose_template", "close_mail", "edit_draft", "load",
                       "open_mail", "preview", "restore_default", "save"},
    "AdminTeamsState": {"delete", "edit", "load", "new", "save"},
    "AdminUsersState": {"change_role", "deactivate", "import_csv", "invite", "load",
                        "reactivate", "resend", "set_search"},
    "AdvisorMeetingsState": {"load", "set_title", "start"},
    "BrandingState": {"load", "remove_image", "save", "save_smtp", "toggle_language",
                      "toggle_module", "upload_favicon", "upload_logo"},
    "CustomerHomeState": {"join", "load"},
    "DomainsState": {"add", "check", "load", "remove"},
    "LanguageState": {"choose"},
    "LocaleState": set(),
    "LoginState": {"reset_form", "submit", "submit_code"},
    "MediaBridgeState": {"media_connected", "media_failed", "screen_ended",
                         "screen_started", "set_cam_default", "set_mic_default", "toggle_cam",
                         "toggle_mic"},
    "MeetingChatState": {"chat_hidden", "download", "file_refused", "mark_read", "send",
                         "set_draft", "share_files", "store_snapshot", "take_snapshot",
                         "upload_cancelled", "upload_progressed", "upload_started"},
    "MeetingFeedbackState": {"prepare", "rate", "send"},
    "MeetingInviteState": {"hand_over", "invite", "set_email", "set_name"},
    "MeetingSettingsState": {"load", "save", "set_default_notice", "set_lobby", "set_media_on",
                             "toggle_type"},
    "MeetingState": {"end_for_all", "join", "leave", "load", "reconnect", "rejoin", "set_consent",
                     "set_guest_name"},
    "PlatformHealthState": {"load"},
    "PlatformOutboxState": {"close_mail", "load", "open_mail"},
    "PlatformTenantsState": {"approve_domain", "create", "load", "refuse_domain", "set_active"},
    "RecoveryState": {"activate", "clear", "forgot", "open_link", "reset_with_link"},
    "RoomAccessState": set(),
    "RoomEventsState": {"listen"},
    "RoomPanelState": {"close", "show", "start", "toggle"},
    "RosterState": {"admit", "lower_hand", "make_presenter", "mute", "remove", "toggle_hand",
                    "toggle_lock"},
    "SessionState": {"enter", "go_home", "logout", "peek"},
    "TenantState": {"load"},
    "TestCenterState": {"collect", "make_report", "play_sound", "prepare", "receive",
                        "speaker_heard", "start"},
}  # fmt: skip


def test_browsers_can_call_only_the_handlers_on_the_allowlist() -> None:
    found = {cls.__name__: set(cls.event_handlers) - {"setvar"} for cls in OUR_STATES}
    assert set(found) == set(HANDLERS), "a state was added or removed: list its handlers"
    for name, handlers in found.items():
        unexpected, missing = handlers - HANDLERS[name], HANDLERS[name] - handlers
        assert not unexpected, f"{name} exposes {sorted(unexpected)}: guard it and list it here"
        assert not missing, f"{name} no longer has {sorted(missing)}: drop it from the list"


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
