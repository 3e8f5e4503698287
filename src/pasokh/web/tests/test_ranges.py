"""Which bytes a ``Range`` header asks for (RFC 9110 §14.1.2), one table row per form."""

from __future__ import annotations

import pytest

from pasokh.web.ranges import UnsatisfiableRangeError, requested_range

SIZE = 1000

RANGES = [
    # header, what is sent
    (None, None),
    ("", None),
    ("bytes=0-", (0, 999)),
    ("bytes=0-99", (0, 99)),
    ("bytes=500-", (500, 999)),
    ("bytes=990-2000", (990, 999)),  # an end past the file is cut to it
    ("bytes=-100", (900, 999)),  # the last 100 bytes
    ("bytes=-5000", (0, 999)),  # a suffix longer than the file: all of it
    ("bytes = 10 - 19", (10, 19)),
    ("bytes=0-0", (0, 0)),
    ("bytes=0-9,20-29", None),  # several ranges: the whole file
    ("items=0-9", None),  # another unit: the whole file
    ("bytes=20-10", None),  # last before first: invalid, ignored
    ("bytes=-", None),
    ("bytes=abc-", None),
]


@pytest.mark.parametrize(("header", "sent"), RANGES)
def test_a_range_header_selects_these_bytes(header: str | None, sent: object) -> None:
    assert requested_range(header, SIZE) == sent


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_outside_the_file_cannot_be_satisfied(header: str) -> None:
    with pytest.raises(UnsatisfiableRangeError):
        requested_range(header, SIZE)
