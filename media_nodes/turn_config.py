"""coturn configuration, rendered from the settings so the secret and realm always match.

    python -m media_nodes.turn_config production --relay-ip 203.0.113.7 > /etc/turnserver.conf
    python -m media_nodes.turn_config test --port 34780        (loopback-only, for tests)

The production profile never relays to loopback, private, link-local, carrier-grade NAT,
multicast or reserved ranges, nor to IPv4-mapped IPv6 addresses: Debian's coturn 4.6.1 predates
the fix for mapped addresses slipping past denied-peer-ip (CVE-2026-27624), so ::ffff:0:0/96 is
denied as a whole. Media nodes the relay must reach go in --allow-peer.
"""

from __future__ import annotations

import argparse
import sys

from app.services import keys
from app.services.turn import shared_secret
from app.settings import get_settings

DENIED_PEERS = (
    "0.0.0.0-0.255.255.255",
    "10.0.0.0-10.255.255.255",
    "100.64.0.0-100.127.255.255",
    "127.0.0.0-127.255.255.255",
    "169.254.0.0-169.254.255.255",
    "172.16.0.0-172.31.255.255",
    "192.0.0.0-192.0.0.255",
    "192.0.2.0-192.0.2.255",
    "192.88.99.0-192.88.99.255",
    "192.168.0.0-192.168.255.255",
    "198.18.0.0-198.19.255.255",
    "198.51.100.0-198.51.100.255",
    "203.0.113.0-203.0.113.255",
    "224.0.0.0-255.255.255.255",
    "::-::",
    "::1-::1",
    "::ffff:0.0.0.0-::ffff:255.255.255.255",
    "64:ff9b::-64:ff9b::ffff:ffff",
    "64:ff9b:1::-64:ff9b:1:ffff:ffff:ffff:ffff:ffff",  # local-use NAT64 (RFC 8215)
    "2001::-2001:0:ffff:ffff:ffff:ffff:ffff:ffff",  # Teredo: tunnels to any IPv4 address
    "2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",  # 6to4: the same
    "100::-100::ffff:ffff:ffff:ffff",
    "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "ff00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
)


def render(
    profile: str,
    *,
    port: int = 3478,
    listening_ip: str = "",
    relay_ip: str = "",
    allow_peers: tuple[str, ...] = (),
    min_port: int = 49152,
    max_port: int = 65535,
    state_dir: str = "",
) -> str:
    """The turnserver.conf text for ``profile`` ("production" or "test")."""
    settings = get_settings()
    lines = [
        "# Rendered by `python -m media_nodes.turn_config`; do not edit by hand.",
        f"listening-port={port}",
        "fingerprint",
        "use-auth-secret",
        f"static-auth-secret={shared_secret()}",
        f"realm={settings.turn_realm}",
        f"min-port={min_port}",
        f"max-port={max_port}",
        "no-cli",
        "no-multicast-peers",
        "no-tlsv1",
        "no-tlsv1_1",
        "stale-nonce=600",
        "simple-log",
        "log-file=stdout",
    ]
    if state_dir:
        lines += [f"pidfile={state_dir}/turnserver.pid", f"userdb={state_dir}/turndb"]
    if listening_ip:
        lines.append(f"listening-ip={listening_ip}")
    if relay_ip:
        lines.append(f"relay-ip={relay_ip}")
    if profile == "production":
        lines += [
            "total-quota=1200",
            "user-quota=12",
            "max-bps=4000000",
            # Browsers relay media over UDP; a TCP relay would make the server (and anyone
            # with test-center credentials) a proxy to any TCP service on the internet.
            "no-tcp-relay",
            *[f"denied-peer-ip={r}" for r in DENIED_PEERS],
            *[f"allowed-peer-ip={p}" for p in allow_peers],
        ]
    elif profile == "test":
        lines += ["allow-loopback-peers", "no-tls", "no-dtls"]
    else:
        raise ValueError(f"unknown profile {profile!r}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print a configuration."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile", choices=["production", "test"])
    parser.add_argument("--port", type=int, default=3478)
    parser.add_argument("--listening-ip", default="")
    parser.add_argument("--relay-ip", default="")
    parser.add_argument("--allow-peer", action="append", default=[])
    parser.add_argument("--state-dir", default="", help="where coturn keeps its pid and db")
    args = parser.parse_args(argv)
    keys.refuse_unsafe_secret_key()  # coturn's secret is derived from it
    sys.stdout.write(
        render(
            args.profile,
            port=args.port,
            listening_ip=args.listening_ip,
            relay_ip=args.relay_ip,
            allow_peers=tuple(args.allow_peer),
            state_dir=args.state_dir,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
