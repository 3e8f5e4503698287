"""What a chat attachment may be: images and PDF, recognised by their first bytes.

The browser's content type and the file name are claims; the magic bytes are evidence. A file
whose content is not one of these types is refused whatever it is called.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (magic prefix, offset, content type, extension)
SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"%PDF-", 0, "application/pdf", "pdf"),
)


class AttachmentError(ValueError):
    """The file is too large, empty or not an allowed type; ``str()`` is the user's message."""


def sniff(data: bytes) -> tuple[str, str]:
    """The content type and extension of ``data``, judged by its magic bytes."""
    for magic, offset, content_type, extension in SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    raise AttachmentError(_("Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent."))


def check(data: bytes, max_bytes: int) -> tuple[str, str]:
    if not data:
        raise AttachmentError(_("The file is empty."))
    if len(data) > max_bytes:
        raise AttachmentError(_("The file is larger than the allowed size."))
    return sniff(data)
