"""Writing a filtered contact list as CSV or XLSX (the same columns an import reads)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pasokh.contacts.models import Contact, CustomField

MAX_EXPORT_ROWS = 100_000
# Cells starting with these are formulas in a spreadsheet; exported user text must not run.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def header(custom_fields: list[CustomField]) -> list[str]:
    return [
        _("First name"),
        _("Last name"),
        _("Phones"),
        _("Emails"),
        _("Company"),
        _("Tags"),
        _("Do not call"),
        *(field.label for field in custom_fields),
    ]


def rows(contacts: QuerySet[Contact], custom_fields: list[CustomField]) -> Iterator[list[str]]:
    for contact in contacts.prefetch_related("identities")[:MAX_EXPORT_ROWS].iterator(
        chunk_size=2000
    ):
        identities = list(contact.identities.all())
        yield [
            _safe(contact.first_name),
            _safe(contact.last_name),
            ", ".join(i.value for i in identities if i.kind == "phone"),
            ", ".join(_safe(i.value) for i in identities if i.kind == "email"),
            _safe(contact.company),
            _safe(", ".join(contact.tags or [])),
            _("yes") if contact.do_not_call else "",
            *(_safe(str(contact.custom_fields.get(f.key, ""))) for f in custom_fields),
        ]


def to_csv(table: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(table)
    return ("\ufeff" + buffer.getvalue()).encode()  # the BOM makes Excel read UTF-8


def to_xlsx(table: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Contacts"))
    sheet.sheet_view.rightToLeft = True
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
