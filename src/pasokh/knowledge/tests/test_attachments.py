"""Attachments are checked by their content and size, not by their name."""

from __future__ import annotations

import pytest

from pasokh.knowledge.attachments import MAX_BYTES, AttachmentError, sniff


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("guide.pdf", b"%PDF-1.7 ...", "application/pdf"),
        ("photo.bin", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("notes.txt", "شماره سریال".encode(), "text/plain; charset=utf-8"),
        (
            "sheet.xlsx",
            b"PK\x03\x04rest",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_allowed_files_are_recognised_by_content(name: str, content: bytes, kind: str) -> None:
    assert sniff(name, content) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.pdf", b"MZ\x90\x00 windows program"),
        ("page.txt", b"\x00\x01binary"),
        ("empty.txt", b""),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES),
        ("archive.zip", b"PK\x03\x04rest"),
    ],
)
def test_other_files_are_refused(name: str, content: bytes) -> None:
    with pytest.raises(AttachmentError):
        sniff(name, content)
