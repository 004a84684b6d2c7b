"""Mail transport: which SMTP server a tenant's mail goes through, and sending over it safely.

- TLS is required (STARTTLS, or implicit TLS on port 465 / ``CONSILIO_SMTP_TLS=implicit``);
  a server that does not offer STARTTLS is refused before anything is sent (fail closed),
  certificates and host names are verified (``CONSILIO_SMTP_CA_FILE`` adds a CA), and a
  password never goes out without TLS. Only the platform's own server may be set to
  ``none`` (a local relay), and then without a login.
- Mails that let their holder set a password (reset, invitation) always go through the
  platform's server: a tenant's admin runs the tenant's server and would read the links.
- A tenant's server must have public addresses (``CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS``
  lifts that): tenants cannot make the platform talk to its own network. The address is
  checked when the admin saves it and again at every delivery, and the connection goes to
  the address that was checked.
- Failures become :class:`DeliveryFailed` with a message key an admin can read (no raw
  exception text, which may carry server replies); details go to the log.
"""

from __future__ import annotations

import dataclasses
import email.utils
import ipaddress
import logging
import smtplib
import socket
import ssl
import urllib.parse
from email.message import EmailMessage

from app.models import Tenant
from app.services.errors import InvalidInput
from app.services.secrets import decrypt
from app.settings import get_settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
TLS_MODES = ("starttls", "implicit", "none")
IMPLICIT_TLS_PORT = 465


class DeliveryFailed(Exception):
    """A mail could not be handed to the SMTP server.

    Attributes:
        key: message key for admins (``mail.error.*``); also the exception's text.
        permanent: retrying cannot help (e.g. the server refused the recipient for good).
    """

    def __init__(self, key: str, *, permanent: bool = False) -> None:
        super().__init__(key)
        self.key = key
        self.permanent = permanent


@dataclasses.dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand over mail."""

    host: str
    port: int
    username: str | None
    password: str | None
    tls: str
    tenant_owned: bool

    def __repr__(self) -> str:
        return f"SmtpServer({self.host}:{self.port}, tls={self.tls}, tenant={self.tenant_owned})"


def server_for(tenant: Tenant, *, platform_only: bool = False) -> SmtpServer | None:
    """The tenant's own SMTP server, else the platform's, else None (nothing configured).

    Args:
        platform_only: the platform's server whatever the tenant set: for mails whose link
            lets its holder set the account's password (reset, invitation), which must not
            pass through a server the tenant's admin runs.
    """
    if tenant.smtp_host and not platform_only:
        port = tenant.smtp_port or 587
        return SmtpServer(
            host=tenant.smtp_host,
            port=port,
            username=tenant.smtp_username,
            password=decrypt(tenant.smtp_password_encrypted)
            if tenant.smtp_password_encrypted
            else None,
            tls="implicit" if port == IMPLICIT_TLS_PORT else "starttls",
            tenant_owned=True,
        )
    settings = get_settings()
    if settings.smtp_host:
        return SmtpServer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            tls=settings.smtp_tls if settings.smtp_tls in TLS_MODES else "starttls",
            tenant_owned=False,
        )
    return None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_tenant_host(host: str, port: int = 587) -> None:
    """Refuse a tenant SMTP host that is not on the public internet.

    Raises:
        InvalidInput: ``error.smtp_host_unknown`` (does not resolve) or
            ``error.smtp_host_private`` (loopback, private, link-local... unless
            ``CONSILIO_SMTP_ALLOW_PRIVATE_HOSTS``).
    """
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError):
        raise InvalidInput("error.smtp_host_unknown") from None
    if not get_settings().smtp_allow_private_hosts and not all(map(_is_public, addresses)):
        raise InvalidInput("error.smtp_host_private")


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    ca_file = get_settings().smtp_ca_file
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def _helo_name() -> str:
    return urllib.parse.urlsplit(get_settings().public_url).hostname or "localhost"


def compose(
    *, sender: str, to: str, subject: str, html: str, text: str, mail_id: int
) -> EmailMessage:
    """The MIME message for one mail (text with an HTML alternative)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(
        idstring=f"consilio-{mail_id}", domain=_helo_name()
    )
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _connect(server: SmtpServer) -> smtplib.SMTP:
    """An open connection, TLS set up as the server requires, before any login."""
    target = server.host
    if server.tenant_owned:
        try:
            addresses = _resolve(server.host, server.port)
        except (OSError, UnicodeError):
            raise DeliveryFailed("mail.error.host_unknown") from None
        allow_private = get_settings().smtp_allow_private_hosts
        if not addresses or not (allow_private or all(map(_is_public, addresses))):
            raise DeliveryFailed("mail.error.host_private")
        target = addresses[0]
    client: smtplib.SMTP
    if server.tls == "implicit":
        client = smtplib.SMTP_SSL(
            local_hostname=_helo_name(), timeout=TIMEOUT_SECONDS, context=_tls_context()
        )
    else:
        client = smtplib.SMTP(local_hostname=_helo_name(), timeout=TIMEOUT_SECONDS)
    # TLS checks the certificate against the name, while we connect to the checked address.
    client._host = server.host  # type: ignore[attr-defined]
    try:
        client.connect(target, server.port)
        client.ehlo()
        if server.tls == "starttls":
            if not client.has_extn("starttls"):
                raise DeliveryFailed("mail.error.tls_unavailable")
            client.starttls(context=_tls_context())
            client.ehlo()
        elif server.tls == "none" and server.username:
            raise DeliveryFailed("mail.error.login_needs_tls", permanent=True)
    except BaseException:
        client.close()
        raise
    return client


def _classify(exc: Exception) -> DeliveryFailed:
    if isinstance(exc, DeliveryFailed):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryFailed("mail.error.certificate")
    if isinstance(exc, ssl.SSLError):
        return DeliveryFailed("mail.error.tls")
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError):
        return DeliveryFailed("mail.error.login")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return DeliveryFailed("mail.error.recipient_refused", permanent=min(codes) >= 500)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return DeliveryFailed("mail.error.sender_refused")
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError):
        return DeliveryFailed("mail.error.connection")
    return DeliveryFailed("mail.error.rejected")


def send(server: SmtpServer, message: EmailMessage) -> None:
    """Hand one message to ``server`` over TLS (unless the platform's server says none).

    Raises:
        DeliveryFailed: with a message key for admins; the details are logged.
    """
    try:
        with _connect(server) as client:
            if server.username:
                client.login(server.username, server.password or "")
            client.send_message(message)
    except Exception as exc:
        failure = _classify(exc)
        logger.warning(
            "mail %s to %r not sent: %s (%s: %s)",
            message["Message-ID"],
            server,
            failure.key,
            type(exc).__name__,
            exc,
        )
        raise failure from None
