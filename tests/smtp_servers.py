"""Real SMTP servers (aiosmtpd) for mail tests: plain, STARTTLS or implicit TLS, with login.

Also a self-signed certificate made with ``cryptography`` (the client trusts it through
``CONSILIO_SMTP_CA_FILE``) and a recording TCP proxy that keeps every byte the client sent,
to check what crossed the wire in clear.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.servers import free_port


class Inbox(Message):
    """Keeps every received message; ``delay`` holds each DATA that long (to widen races)."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.messages: list[Any] = []
        self.logins: list[tuple[bytes, bytes]] = []
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        result: str = await super().handle_DATA(server, session, envelope)
        return result

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        """Accept any login and remember it."""
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        return AuthResult(success=True)


@dataclasses.dataclass(frozen=True)
class Certificate:
    """A self-signed server certificate for 127.0.0.1 / localhost, and its key."""

    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def self_signed_certificate(directory: Path) -> Certificate:
    """Write a self-signed certificate valid for 127.0.0.1 and localhost into ``directory``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Consilio test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_file, key_file)


@contextlib.contextmanager
def smtp_server(
    inbox: Inbox, *, tls: str = "none", certificate: Certificate | None = None
) -> Iterator[int]:
    """Run aiosmtpd on a free loopback port; yield the port.

    Args:
        tls: ``none`` (no STARTTLS offered), ``starttls`` or ``implicit``.
        certificate: the server's certificate (needed for the TLS modes).
    """
    port = free_port()
    kwargs: dict[str, Any] = {
        # The server would take a login in clear: what crosses is up to the client.
        "auth_require_tls": False,
        "authenticator": inbox.authenticate,
        "server_hostname": "localhost",
    }
    if tls == "starttls":
        assert certificate is not None
        kwargs["tls_context"] = certificate.server_context()
    elif tls == "implicit":
        assert certificate is not None
        kwargs["ssl_context"] = certificate.server_context()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


class RecordingProxy:
    """A TCP proxy on loopback that forwards to ``target_port`` and keeps what clients sent."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.client_bytes = bytearray()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets += [client, upstream]
            for source, target, record in ((client, upstream, True), (upstream, client, False)):
                thread = threading.Thread(
                    target=self._pump, args=(source, target, record), daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _pump(self, source: socket.socket, target: socket.socket, record: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if record:
                    self.client_bytes.extend(data)
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            sock.close()
        for thread in self._threads:
            thread.join(timeout=5)
