"""What a browser needs to enter a room on a media node: where, with which token, via which relay.

The room's node comes from the registry (placed on the least-loaded node, kept there, moved
when its node died). Each call signs a fresh short-lived join token, so a browser that lost its
node asks again and lands on the room's new node.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
from typing import Any

from app.services import join_tokens, rate_limits, turn
from app.services.errors import AccessDenied, DomainError
from app.services.media_registry import NoMediaNode, Registry, get_registry
from app.services.meetings import Attendee
from app.settings import get_settings

# A network test's join token and TURN credentials: enough for one run, including the time a
# person takes to answer the browser's camera prompt before the network step starts.
PROBE_PASS_SECONDS = 300


@dataclasses.dataclass(frozen=True)
class MediaPass:
    """Signaling address, join token and ICE servers for one participant."""

    signaling_url: str
    token: str
    ice_servers: list[dict[str, Any]]

    def as_config(self) -> dict[str, Any]:
        """The options the browser's meeting client takes."""
        return {
            "signalingUrl": self.signaling_url,
            "token": self.token,
            "iceServers": self.ice_servers,
        }


class NoVideoServer(DomainError):
    """No media node can take the room right now (the browser tries again)."""

    key = "meeting.no_node"


@functools.cache
def registry() -> Registry:
    """One registry (and Redis connection pool) per process."""
    return get_registry()


def issue_pass(attendee: Attendee, *, presenter: str | None) -> MediaPass:
    """A pass into ``attendee``'s room; ``presenter`` is who may share a screen now.

    Raises:
        AccessDenied: ``meeting.waiting`` while the guest waits in the lobby.
        NoVideoServer: no live node can take the room (the caller shows "try again").
    """
    if not attendee.admitted:
        raise AccessDenied("meeting.waiting")
    try:
        node = registry().node_for_room(attendee.room)
    except NoMediaNode:
        raise NoVideoServer() from None
    token = join_tokens.issue(
        join_tokens.JoinGrant(
            room=attendee.room,
            participant=attendee.key,
            name=attendee.name,
            role="moderator" if attendee.is_moderator else "participant",
            presenter=presenter or "",
        )
    )
    return MediaPass(node.signaling_url, token, turn.ice_servers(attendee.key))


@dataclasses.dataclass(frozen=True)
class ProbePass:
    """What the test center's network check needs: a room of its own on a live node, and
    the STUN and TURN servers to try one by one."""

    signaling_url: str
    token: str
    stun_servers: list[dict[str, Any]]
    turn_servers: list[dict[str, Any]]
    seconds: float

    def as_config(self) -> dict[str, Any]:
        """The options the browser's network check takes."""
        return {
            "signalingUrl": self.signaling_url,
            "token": self.token,
            "stunServers": self.stun_servers,
            "turnServers": self.turn_servers,
            "seconds": self.seconds,
        }


def issue_probe_pass() -> ProbePass:
    """A pass for one network test by anyone (no login): a fresh room on the least-loaded
    node, which echoes the test's video back and ends it after CONSILIO_MEDIA_PROBE_SECONDS;
    join token and TURN credentials that expire after PROBE_PASS_SECONDS.

    All addresses together get at most CONSILIO_LIMIT_PROBE_PASSES, so however many
    addresses a script uses, the relay it can take stays bounded.

    Raises:
        NoVideoServer: no live node takes new rooms.
        TooManyAttempts: ``test.busy_*``, the platform's quota of network tests is used up.
    """
    try:
        node = registry().least_loaded()
    except NoMediaNode:
        raise NoVideoServer() from None
    rate_limits.PROBE_PASSES.take("platform")
    probe = "probe-" + secrets.token_urlsafe(12)
    token = join_tokens.issue(
        join_tokens.JoinGrant(room=probe, participant=probe, name="", role="probe"),
        lifetime_seconds=PROBE_PASS_SECONDS,
    )
    return ProbePass(
        node.signaling_url,
        token,
        turn.stun_servers(),
        turn.ice_servers(probe, seconds=PROBE_PASS_SECONDS),
        get_settings().media_probe_seconds,
    )
