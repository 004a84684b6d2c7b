"""Errors a person can cause. Each carries a message key the UI translates."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refused request. ``key`` names the message in app/i18n; ``params`` fill it in."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class AccessDenied(DomainError):
    """The caller is not signed in, or may not do this in this tenant."""

    key = "error.access_denied"


class NotSignedIn(AccessDenied):
    """No valid session: the caller must sign in (again)."""

    key = "error.not_signed_in"


class NotFound(DomainError):
    """The target does not exist in the caller's tenant (or at all)."""

    key = "error.not_found"


class InvalidInput(DomainError):
    """Input failed validation; nothing was changed."""

    key = "error.invalid_input"


class AuthenticationFailed(DomainError):
    """Wrong credentials, wrong code or locked account; never says whether the account exists."""

    key = "error.login_failed"
