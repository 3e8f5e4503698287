"""A client for rtpengine's control protocol "ng": ``<cookie> <bencoded dict>`` over UDP.

rtpengine anchors every call's media. The voice service asks it to rewrite SDP (``offer``,
``answer``), to play prompts and hold music (``play media`` / ``stop media``), to record
(``start recording``) and to forget a call (``delete``). Answers come in well under a
millisecond on the same host; a lost datagram is retried once with the same cookie.
"""

from __future__ import annotations

import itertools
import secrets
import socket
import threading
from typing import Any

Bencodable = int | str | bytes | list["Bencodable"] | dict[str, "Bencodable"]


class NgError(RuntimeError):
    """rtpengine refused a command or did not answer."""


def bencode(value: Any) -> bytes:
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list | tuple):
        return b"l" + b"".join(bencode(item) for item in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")


class BencodeError(ValueError):
    """Bytes that are not one well-formed bencoded value."""


def bdecode(data: bytes) -> Any:
    try:
        value, end = _decode(data, 0)
    except (ValueError, IndexError, AttributeError) as error:
        raise BencodeError(str(error)) from error
    if end != len(data):
        raise BencodeError("trailing bytes after the bencoded value")
    return value


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    lead = data[i : i + 1]
    if lead == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1 : end]), end + 1
    if lead in (b"l", b"d"):
        i += 1
        items: list[Any] = []
        while data[i : i + 1] != b"e":
            if i >= len(data):
                raise ValueError("unterminated list or dictionary")
            item, i = _decode(data, i)
            items.append(item)
        if lead == b"l":
            return [_text(item) for item in items], i + 1
        return {items[k].decode(): _text(items[k + 1]) for k in range(0, len(items), 2)}, i + 1
    colon = data.index(b":", i)
    length = int(data[i:colon])
    start = colon + 1
    if start + length > len(data):
        raise ValueError("string runs past the end")
    return data[start : start + length], start + length


def _text(value: Any) -> Any:
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            return value
    return value


class NgClient:
    """Thread-safe: each thread gets a socket of its own, so commands from several threads (the
    controller's workers) are in flight at once instead of queueing behind one another."""

    def __init__(self, address: tuple[str, int], timeout_s: float = 1.0) -> None:
        self.address = address
        self.timeout_s = timeout_s
        self._local = threading.local()
        self._lock = threading.Lock()  # guards _sockets
        self._sockets: list[socket.socket] = []
        # Cookies only match answers to commands: a random prefix per client and a counter
        # (a fresh random cookie per command, a system call, was 6 % of the controller thread
        # under load in `pasokh bench sip`).
        self._prefix = secrets.token_hex(4)
        self._sequence = itertools.count(1)

    def _socket(self) -> socket.socket:
        sock: socket.socket | None = getattr(self._local, "socket", None)
        if sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.settimeout(self.timeout_s)
            with self._lock:
                self._sockets.append(sock)
            self._local.socket = sock
        return sock

    def close(self) -> None:
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def command(self, name: str, **arguments: Any) -> dict[str, Any]:
        message = {"command": name, **{k.replace("_", "-"): v for k, v in arguments.items()}}
        sock = self._socket()
        cookie = f"{self._prefix}{next(self._sequence):x}".encode()
        packet = cookie + b" " + bencode(message)
        for _attempt in range(2):
            sock.sendto(packet, self.address)
            try:
                answer = self._receive(sock, cookie)
            except TimeoutError:
                continue
            break
        else:
            raise NgError(f"rtpengine at {self.address} did not answer {name!r}")
        if answer.get("result") == "error":
            raise NgError(f"{name}: {answer.get('error-reason', 'error')}")
        return answer

    @staticmethod
    def _receive(sock: socket.socket, cookie: bytes) -> dict[str, Any]:
        while True:
            data = sock.recv(65535)
            head, _, body = data.partition(b" ")
            if head == cookie:
                decoded = bdecode(body)
                if not isinstance(decoded, dict):
                    raise NgError("rtpengine answered with something other than a dictionary")
                return decoded

    def ping(self) -> bool:
        try:
            return self.command("ping").get("result") == "pong"
        except (NgError, OSError):
            return False
