"""The bencode of rtpengine's control protocol, both ways."""

from __future__ import annotations

import pytest

from pasokh.voice.ng import BencodeError, bdecode, bencode


def test_bencode_sorts_dictionary_keys_and_encodes_nested_values() -> None:
    encoded = bencode({"sdp": "v=0", "command": "offer", "flags": ["inject-DTMF"], "n": 3})
    assert encoded == b"d7:command5:offer5:flagsl11:inject-DTMFe1:ni3e3:sdp3:v=0e"


def test_bdecode_reads_what_bencode_wrote() -> None:
    value = {"result": "ok", "tags": {"customer": {"medias": [{"streams": [{"n": -4}]}]}}}
    assert bdecode(bencode(value)) == value


def test_bdecode_keeps_bytes_that_are_not_text() -> None:
    assert bdecode(b"2:\xff\xfe") == b"\xff\xfe"


@pytest.mark.parametrize("broken", [b"5:abc", b"i12", b"d3:key", b"l1:ae trailing"])
def test_bdecode_refuses_broken_input(broken: bytes) -> None:
    with pytest.raises(BencodeError):
        bdecode(broken)
