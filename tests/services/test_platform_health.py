"""The platform's health: what its operator must fix (TURN relay, video servers), asked for
real (a running coturn, a silent port), shown to super admins and named by /api/health."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session

from app.models import Role
from app.services import media_pass, platform_health
from app.services.errors import AccessDenied
from tests.factories import TenantWorld, context_of, make_tenant, make_user
from tests.servers import coturn, free_port

Configure = Callable[..., None]


@pytest.fixture
def settings(configure: Configure) -> Iterator[Configure]:
    """Settings for this test; the media node registry is built again from them."""

    def apply(**values: str) -> None:
        configure(**values)
        media_pass.registry.cache_clear()

    yield apply
    media_pass.registry.cache_clear()


def _operator(db: Session):  # type: ignore[no-untyped-def]
    platform = make_tenant(db, "platform")
    return context_of(platform, make_user(db, platform, "op@consilio.example", Role.SUPER_ADMIN))


def test_missing_relay_is_named_for_the_operator(db: Session, settings: Configure) -> None:
    settings(turn_urls="")
    findings = {f.check: f for f in platform_health.check_platform(db, _operator(db))}
    assert (findings["turn"].status, findings["turn"].message) == (
        platform_health.WARN,
        "health.turn_missing",
    )
    assert findings["database"].status == platform_health.OK
    assert "turn_missing" in platform_health.problems()


def test_a_running_relay_answers_and_a_silent_one_is_reported(settings: Configure) -> None:
    with coturn("test") as port:
        settings(turn_urls=f"turn:127.0.0.1:{port}?transport=udp")
        assert platform_health.turn_relay(probe=True).status == platform_health.OK
        assert "turn_missing" not in platform_health.problems()
    silent = f"turn:127.0.0.1:{free_port()}?transport=udp"
    settings(turn_urls=silent)
    finding = platform_health.turn_relay(probe=True)
    assert (finding.status, finding.params["urls"]) == (platform_health.FAIL, silent)


def test_a_video_server_that_does_not_answer_is_reported(settings: Configure) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings(media_public_url=nowhere, redis_url="")
    finding = platform_health.media_nodes(probe=True)
    assert (finding.status, finding.message) == (platform_health.FAIL, "health.media_none")
    assert finding.params["url"] == nowhere


def test_only_super_admins_may_check_the_platform(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AccessDenied):
        platform_health.check_platform(db, alpha.admin_ctx)
