"""What an article attachment may be: checked by its first bytes, not by its name."""

from __future__ import annotations

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024

# (magic prefix, content type). Office files are ZIP containers; the name decides which.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class AttachmentError(ValueError):
    pass


def sniff(filename: str, content: bytes) -> str:
    """The content type of an allowed file, or AttachmentError saying what is wrong."""
    if not content:
        raise AttachmentError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise AttachmentError(_("The file is larger than 5 MB."))
    for magic, content_type in SIGNATURES:
        if content.startswith(magic):
            return content_type
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    if content.startswith(b"PK\x03\x04") and suffix in OFFICE:
        return OFFICE[suffix]
    if suffix in {".txt", ".csv", ".md"} and b"\x00" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise AttachmentError(_("A text file must be UTF-8.")) from error
        return "text/plain; charset=utf-8"
    raise AttachmentError(
        _("Only PDF, PNG, JPEG, GIF, Word, Excel and UTF-8 text files can be attached.")
    )
