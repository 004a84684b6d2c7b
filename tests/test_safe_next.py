"""``?next=`` after sign-in: only a path inside the tenant's pages, never another site."""

from __future__ import annotations

import pytest

from app.routes import safe_next

HOME = "/t/demo/advisor"


@pytest.mark.parametrize(
    "target",
    [
        "/\\example.org",  # browsers read a backslash as a slash: //example.org
        "/\t/example.org",  # a tab is dropped by the URL parser: //example.org
        "/%09/example.org",
        "//example.org",
        "/%2F/example.org",
        "%2F%2Fexample.org",
        "https://example.org/t/demo/advisor",
        "javascript:alert(1)",
        "/t/demo/../other/admin/users",
        "/t/demo/%2e%2e/other/admin/users",
        "/t/other/advisor",  # another tenant's pages
        "/api/session/end",
        "/t/demo\n/advisor",
        "",
    ],
)
def test_next_outside_the_tenant_falls_back_home(target: str) -> None:
    assert safe_next(target, "/t/demo", HOME) == HOME


@pytest.mark.parametrize(
    "target", ["/t/demo/advisor", "/t/demo/meeting/abc?k=1", "/t/demo", "/t/demo/account#x"]
)
def test_next_inside_the_tenant_is_kept(target: str) -> None:
    assert safe_next(target, "/t/demo", HOME) == target


def test_on_a_custom_domain_any_local_path_is_kept_but_no_other_site() -> None:
    assert safe_next("/admin/users", "", "/home") == "/admin/users"
    assert safe_next("//evil.example/x", "", "/home") == "/home"
    assert safe_next("/\\evil.example", "", "/home") == "/home"
