"""Send huge request bodies to a running app and watch what its processes do meanwhile.

A raw socket keeps sending until the server answers (or the body is sent), so the figures say
how much the server took before it refused; a sampler thread records the server processes'
resident memory and the bytes of the temporary files they hold open (spooled uploads are
unlinked at once, so only their open descriptors show them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import psutil

MB = 1024 * 1024
CHUNK = b"\0" * (256 * 1024)
BOUNDARY = "consilio-oversized"


@dataclasses.dataclass
class Outcome:
    """What the server answered and how much of the body it took first."""

    status: int
    sent: int
    seconds: float


@dataclasses.dataclass
class Usage:
    """The server processes' peak resident memory and peak open temporary file bytes."""

    rss_before: int = 0
    rss_peak: int = 0
    rss_after: int = 0
    temp_peak: int = 0

    def summary(self) -> str:
        """The figures in MB, for reports."""
        return (
            f"RSS {self.rss_before / MB:.0f} -> peak {self.rss_peak / MB:.0f} -> "
            f"{self.rss_after / MB:.0f} MB, temp files peak {self.temp_peak / MB:.1f} MB"
        )


def multipart_parts(filename: str, size: int) -> tuple[bytes, bytes, str]:
    """(head, tail, content type) of a multipart body carrying one file of ``size`` bytes."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head, tail, f"multipart/form-data; boundary={BOUNDARY}"


def _read_status(sock: socket.socket, timeout: float) -> int:
    sock.setblocking(True)
    sock.settimeout(timeout)
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n" not in data:
            piece = sock.recv(4096)
            if not piece:
                break
            data += piece
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 and line[1].isdigit() else 0


def post(
    base_url: str,
    path: str,
    *,
    size: int,
    headers: dict[str, str],
    head: bytes = b"",
    tail: bytes = b"",
    chunked: bool = False,
    timeout: float = 120,
) -> Outcome:
    """POST ``head`` + ``size`` zero bytes + ``tail``, declared or chunked; stop when answered."""
    url = urlsplit(base_url)
    total = len(head) + size + len(tail)
    lines = [f"POST {path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")
    started = time.monotonic()
    sock = socket.create_connection((url.hostname or "127.0.0.1", url.port or 80))
    sent = 0
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        sock.setblocking(False)

        def pieces() -> Iterator[bytes]:
            yield head
            left = size
            while left > 0:
                yield CHUNK[: min(left, len(CHUNK))]
                left -= len(CHUNK)
            yield tail

        answered = False
        for piece in pieces():
            if not piece:
                continue  # an empty chunk would end a chunked body
            frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            view = memoryview(frame)
            while view and not answered:
                readable, writable, _ = select.select([sock], [sock], [], timeout)
                if readable:
                    answered = True
                    break
                if not writable:
                    raise TimeoutError("the server neither read nor answered")
                try:
                    n = sock.send(view)
                except (BrokenPipeError, ConnectionResetError):
                    answered = True
                    break
                view = view[n:]
                sent += n
            if answered:
                break
        if chunked and not answered:
            with contextlib.suppress(OSError):
                sock.sendall(b"0\r\n\r\n")
        status = _read_status(sock, timeout)
    finally:
        sock.close()
    return Outcome(status=status, sent=sent, seconds=time.monotonic() - started)


def server_processes(base_url: str) -> list[psutil.Process]:
    """The processes listening on the app's port, with their children (server workers)."""
    port = urlsplit(base_url).port
    pids = {
        c.pid
        for c in psutil.net_connections(kind="tcp")
        if c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN and c.pid
    }
    found: dict[int, psutil.Process] = {}
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                found[p.pid] = p
    return list(found.values())


def _rss(procs: list[psutil.Process]) -> int:
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def _temp_bytes(procs: list[psutil.Process]) -> int:
    """Bytes of open files that are unlinked temporaries or live in the temp directory."""
    total = 0
    for proc in procs:
        fd_dir = f"/proc/{proc.pid}/fd"
        with contextlib.suppress(OSError):
            for fd in os.listdir(fd_dir):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"{fd_dir}/{fd}")
                    if target.endswith("(deleted)") or os.path.basename(target).startswith("tmp"):
                        total += os.stat(f"{fd_dir}/{fd}").st_size
    return total


@contextlib.contextmanager
def watched(base_url: str) -> Iterator[Usage]:
    """Sample the server's memory and temporary files while the block runs."""
    procs = server_processes(base_url)
    assert procs, "no process listens on the app's port"
    usage = Usage(rss_before=_rss(procs))
    usage.rss_peak = usage.rss_before
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            usage.rss_peak = max(usage.rss_peak, _rss(procs))
            usage.temp_peak = max(usage.temp_peak, _temp_bytes(procs))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield usage
    finally:
        done.set()
        sampler.join()
        time.sleep(0.5)
        usage.rss_after = _rss(procs)
