"""sippy as the voice service configures it (``sipstack.py``): what would make the service deaf
or flood its log does neither."""

from __future__ import annotations

import errno
import logging
import socket
from typing import Any

import pytest

from pasokh.voice import sipstack
from pasokh.voice.sipstack import TransactionManager


class _Socket:
    """A socket whose ``recvfrom`` gives these results in turn (an exception is raised)."""

    def __init__(self, *results: Any) -> None:
        self.results = list(results)

    def recvfrom(self, size: int) -> Any:
        result = self.results.pop(0)
        if isinstance(result, BaseException):
            raise result
        return result


class _Options:
    family = socket.AF_INET
    direct_dispatch = True


class _Server:
    transport = "udp"
    uopts = _Options()

    def __init__(self, skt: _Socket) -> None:
        self.skt = skt
        self.read: list[bytes] = []

    def handle_read(self, data: bytes, address: Any, rtime: Any) -> None:
        self.read.append(data)


def test_the_sip_receiver_goes_on_after_an_unexpected_socket_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sippy.Udp_server
    from sippy.Udp_server import AsyncReceiver

    reported: list[str] = []
    monkeypatch.setattr(
        sippy.Udp_server, "dump_exception", lambda message: reported.append(message)
    )

    server = _Server(
        _Socket(
            OSError(errno.EIO, "Input/output error"),
            (b"OPTIONS sip:127.0.0.1 SIP/2.0", ("127.0.0.1", 5060)),
            OSError(errno.EBADF, "Bad file descriptor"),  # the socket closed: the thread ends
        )
    )
    receiver = AsyncReceiver(server)
    receiver.join(5)
    assert not receiver.is_alive()
    assert server.read == [b"OPTIONS sip:127.0.0.1 SIP/2.0"]  # heard after the error
    assert len(reported) == 1  # the error was reported
    assert "receiving incoming data" in reported[0]


def test_datagrams_that_are_not_utf8_are_dropped_and_counted_not_parsed(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[Any] = []
    monkeypatch.setattr(
        sipstack.SipTransactionManager, "handleIncoming", lambda self, *args: parsed.append(args)
    )
    manager = TransactionManager.__new__(TransactionManager)
    manager.not_sip = sipstack.Throttled("not SIP")
    rtp = bytes([0x80, 0x08, 0x12, 0x34]) + bytes(range(128, 256))  # an RTP packet
    with caplog.at_level(logging.WARNING, logger="pasokh.voice"):
        for _ in range(50):
            manager.handleIncoming(rtp, "127.0.0.1:40000", None, None)
        manager.handleIncoming(b"OPTIONS sip:a SIP/2.0", "127.0.0.1:40000", None, None)
    assert manager.not_sip.count == 50
    assert len(parsed) == 1  # only the text went on to sippy
    assert [r.getMessage() for r in caplog.records] == [
        "voice: not SIP: 1 since the last report (the last: from 127.0.0.1:40000)"
    ]


def test_a_flood_of_bad_input_is_reported_once_a_minute_with_its_count(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(sipstack.time, "monotonic", lambda: clock[0])
    junk = sipstack.Throttled("junk")
    with caplog.at_level(logging.WARNING, logger="pasokh.voice"):
        for second in range(150):  # 10 a second for 150 s
            clock[0] = 1000.0 + second
            for _ in range(10):
                junk.note(f"at {second}")
    assert junk.count == 1500
    assert [r.getMessage() for r in caplog.records] == [
        "voice: junk: 1 since the last report (the last: at 0)",
        "voice: junk: 600 since the last report (the last: at 60)",
        "voice: junk: 600 since the last report (the last: at 120)",
    ]


def test_sip_that_sippy_cannot_parse_is_logged_not_dumped(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    import sippy.SipTransactionManager

    before = sipstack.unparsable.count
    sipstack.unparsable._next_at = 0.0  # this test's report is not held back by an earlier one
    with caplog.at_level(logging.WARNING, logger="pasokh.voice"):
        try:
            raise ValueError("bad Via")
        except ValueError:
            sippy.SipTransactionManager.dump_exception(
                "can't parse SIP request from 127.0.0.1:5062", extra="INVITE ..."
            )
    assert sipstack.unparsable.count == before + 1
    assert "ValueError('bad Via')" in caplog.records[-1].getMessage()
    assert "Traceback" not in capfd.readouterr().out
