"""Byte ranges (RFC 9110 §14) for files the browser plays: an <audio> element asks for
``Range: bytes=N-`` to seek, and without a 206 answer Chromium cannot jump into a recording.

One range per request is served (what media players ask for); a header with several ranges,
or one that is not understood, is answered with the whole file, as the RFC allows. A range
that starts past the end is ``416`` with ``Content-Range: bytes */size``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

_ONE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


class UnsatisfiableRangeError(Exception):
    """The range asked for lies outside the file."""


def requested_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(first, last)`` byte positions one ``Range`` header asks of a file of
    ``size`` bytes; None for the whole file (no header, several ranges, or not understood)."""
    if not header:
        return None
    match = _ONE_RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    start, end = match.groups()
    if not start and not end:
        return None
    if not start:  # a suffix: the last N bytes
        length = int(end)
        if length == 0:
            raise UnsatisfiableRangeError
        return max(0, size - length), size - 1
    first = int(start)
    if first >= size:
        raise UnsatisfiableRangeError
    last = min(int(end), size - 1) if end else size - 1
    if last < first:
        return None  # invalid: ignored, the whole file is sent
    return first, last


def _part(file: IO[bytes], first: int, last: int) -> Iterator[bytes]:
    file.seek(first)
    left = last - first + 1
    try:
        while left > 0:
            chunk = file.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        file.close()


def ranged_file_response(
    request: HttpRequest, file: IO[bytes], size: int, content_type: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    """The file, or the one byte range the request asks for (206), or 416."""
    disposition = f'inline; filename="{filename}"'
    try:
        wanted = requested_range(request.headers.get("Range"), size)
    except UnsatisfiableRangeError:
        file.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    if wanted is None:
        whole = FileResponse(file, content_type=content_type)
        whole["Content-Disposition"] = disposition
        whole["Accept-Ranges"] = "bytes"
        return whole
    first, last = wanted
    part = StreamingHttpResponse(_part(file, first, last), content_type=content_type, status=206)
    part["Content-Length"] = str(last - first + 1)
    part["Content-Range"] = f"bytes {first}-{last}/{size}"
    part["Content-Disposition"] = disposition
    part["Accept-Ranges"] = "bytes"
    return part
