"""Reading contact lists (CSV, XLSX) and checking each row before it is written.

Nothing here writes: :mod:`pasokh.contacts.actions` turns checked rows into contacts in
batches. Rows are numbered as the user sees them in a spreadsheet (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from pasokh.contacts.custom_fields import CustomFieldError, clean_value
from pasokh.contacts.models import CustomField
from pasokh.persian.normalize import display_clean, search_key
from pasokh.persian.phone import try_normalize_phone

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 8
NAME_MAX = 100
COMPANY_MAX = 200
TAGS_MAX = 20

# Targets a column can be mapped to; custom fields are "custom:<key>".
TARGETS = ("first_name", "last_name", "full_name", "phone", "email", "company", "tags", "language")
IGNORE = ""

# Header spellings recognised for the automatic first guess of the mapping (folded).
_HEADER_GUESSES = {
    "first_name": {"first name", "first_name", "firstname", "name", "نام"},
    "last_name": {"last name", "last_name", "lastname", "surname", "family", "نام خانوادگی"},
    "full_name": {"full name", "full_name", "نام و نام خانوادگی", "نام کامل"},
    "phone": {"phone", "mobile", "tel", "telephone", "cell", "تلفن", "موبایل", "همراه", "شماره"},
    "email": {"email", "e-mail", "mail", "ایمیل", "پست الکترونیک"},
    "company": {"company", "organization", "شرکت", "سازمان"},
    "tags": {"tags", "tag", "برچسب", "برچسب ها"},
    "language": {"language", "lang", "زبان"},
}


class UnreadableFile(ValueError):  # noqa: N818 - reads as the domain fact
    """The upload is not a CSV/XLSX file we can read; the message is shown to the user."""


@dataclass
class CheckedRow:
    """A row that passed every check, ready to become (or merge into) a contact."""

    number: int
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    language: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    custom: dict[str, str] = field(default_factory=dict)

    @property
    def identities(self) -> list[tuple[str, str]]:
        return [("phone", p) for p in self.phones] + [("email", e) for e in self.emails]

    @property
    def identity_values(self) -> list[str]:
        return self.phones + self.emails


@dataclass(frozen=True)
class RowError:
    number: int
    reason: str


def file_format(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return "csv"
    if lower.endswith(".xlsx"):
        return "xlsx"
    raise UnreadableFile(_("Upload a .csv or .xlsx file."))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phones typed into Excel become numbers
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1256"):  # Excel in Iran saves "CSV" as Windows-1256
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("The file is neither UTF-8 nor Windows-1256 text."))
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        yield [cell.strip() for cell in row]


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise UnreadableFile(_("The file is not a readable Excel (.xlsx) workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def read_rows(filename: str, data: bytes) -> Iterator[list[str]]:
    """Every row of the first sheet, header included, as lists of stripped strings."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(_("The file is larger than 20 MB."))
    rows = _csv_rows(data) if file_format(filename) == "csv" else _xlsx_rows(data)
    return (row for row in rows if any(cell for cell in row))


def preview(filename: str, data: bytes) -> tuple[list[str], list[list[str]], int]:
    """The header, the first rows and the number of data rows."""
    rows = read_rows(filename, data)
    header = next(rows, None)
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    first: list[list[str]] = []
    total = 0
    for row in rows:
        if len(first) < PREVIEW_ROWS:
            first.append(row)
        total += 1
    return header, first, total


def guess_mapping(header: list[str], custom_fields: list[CustomField]) -> dict[str, str]:
    """A first guess of column → target from the header's wording (column index as key)."""
    guesses = {**_HEADER_GUESSES}
    for custom in custom_fields:
        guesses[f"custom:{custom.key}"] = {search_key(custom.label), custom.key.lower()}
    mapping: dict[str, str] = {}
    for index, title in enumerate(header):
        folded = search_key(title).replace("_", " ")
        target = next(
            (t for t, words in guesses.items() if folded in words or title.lower() in words),
            IGNORE,
        )
        mapping[str(index)] = target
    return mapping


def check_row(
    number: int,
    cells: list[str],
    mapping: Mapping[str, str],
    custom_fields: Mapping[str, CustomField],
) -> CheckedRow | RowError:
    """Validate one row: the first problem found is the reason it is reported."""
    row = CheckedRow(number=number)
    for index_text, target in mapping.items():
        index = int(index_text)
        value = display_clean(cells[index]) if index < len(cells) else ""
        if not value or not target:
            continue
        problem = _apply(row, target, value, custom_fields)
        if problem:
            return RowError(number, problem)
    if not (row.first_name or row.last_name):
        return RowError(number, _("The name is missing."))
    return row


def _apply(
    row: CheckedRow, target: str, value: str, custom_fields: Mapping[str, CustomField]
) -> str:
    if target in ("first_name", "last_name", "full_name"):
        if len(value) > NAME_MAX:
            return _("The name is longer than 100 characters.")
        if target == "full_name":
            first, _space, last = value.partition(" ")
            row.first_name, row.last_name = first, last.strip()
        else:
            setattr(row, target, value)
        return ""
    if target == "company":
        if len(value) > COMPANY_MAX:
            return _("The company is longer than 200 characters.")
        row.company = value
        return ""
    if target == "phone":
        for raw in value.replace("،", ",").replace(";", ",").split(","):
            if raw.strip():
                phone = try_normalize_phone(raw.strip())
                if phone is None:
                    return _("“%(value)s” is not a phone number.") % {"value": raw.strip()}
                row.phones.append(phone)
        return ""
    if target == "email":
        email = value.lower()
        try:
            validate_email(email)
        except ValidationError:
            return _("“%(value)s” is not an e-mail address.") % {"value": value}
        row.emails.append(email)
        return ""
    if target == "tags":
        tags = [t.strip() for t in value.replace("،", ",").split(",") if t.strip()]
        row.tags.extend(tag[:50] for tag in tags[:TAGS_MAX])
        return ""
    if target == "language":
        row.language = value.lower()[:8]
        return ""
    if target.startswith("custom:"):
        custom = custom_fields.get(target.removeprefix("custom:"))
        if custom is None:
            return ""
        try:
            row.custom[custom.key] = clean_value(custom, value)
        except CustomFieldError as error:
            return f"{custom.label}: {error}"
    return ""
