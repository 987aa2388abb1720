"""A small client of ClamAV's daemon (clamd): one file's bytes scanned through INSTREAM.

The protocol (clamd(8), "INSTREAM"): send ``zINSTREAM\\0``, then the data in chunks, each
preceded by its length as a 4-byte big-endian number, then a zero length; clamd answers
``stream: OK\\0``, ``stream: <signature> FOUND\\0`` or ``... ERROR\\0``. The address is
``host:port`` or the path of clamd's unix socket (CELLTRACE_CLAMD_ADDRESS).
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

CHUNK_BYTES = 64 * 1024
_REPLY_MAX_BYTES = 4096


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no verdict: the file was not scanned."""


@dataclass(frozen=True, slots=True)
class Verdict:
    clean: bool
    signature: str = ""


def scan_bytes(address: str, data: bytes, *, timeout: float = 30.0) -> Verdict:
    """Ask the clamd at `address` about `data`; raise ScannerUnavailable without a verdict."""
    try:
        with _connect(address, timeout) as conn:
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK_BYTES):
                chunk = data[start : start + CHUNK_BYTES]
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = _read_reply(conn)
    except OSError as error:
        raise ScannerUnavailable(f"clamd at {address} could not be reached: {error}") from error
    return parse_reply(reply)


def parse_reply(reply: str) -> Verdict:
    """Read clamd's answer to INSTREAM; anything but OK or FOUND is no verdict."""
    text = reply.strip()
    if text.startswith("stream:"):
        text = text.removeprefix("stream:").strip()
    if text == "OK":
        return Verdict(clean=True)
    if text.endswith(" FOUND"):
        return Verdict(clean=False, signature=text.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(f"clamd gave no verdict: {reply.strip()!r}")


def _connect(address: str, timeout: float) -> socket.socket:
    path = address.removeprefix("unix:")
    if path.startswith("/"):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        try:
            conn.connect(path)
        except OSError:
            conn.close()
            raise
        return conn
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScannerUnavailable(f"CELLTRACE_CLAMD_ADDRESS {address!r} is not host:port or a path")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _read_reply(conn: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < _REPLY_MAX_BYTES:
        part = conn.recv(1024)
        if not part:
            break
        reply += part
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace")
