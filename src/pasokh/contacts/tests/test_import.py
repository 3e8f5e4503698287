"""Importing contact lists: good rows land, bad rows are reported with their row numbers."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from pasokh.contacts.actions import (
    do_create_contact,
    do_create_contact_import,
    do_start_contact_import,
)
from pasokh.contacts.importing import UnreadableFile, guess_mapping, preview
from pasokh.contacts.models import Contact, ContactIdentity, ContactImport, CustomField
from pasokh.search.query import search

pytestmark = pytest.mark.django_db

HEADER = "نام,نام خانوادگی,موبایل,ایمیل,شرکت,برچسب,شهر\n"
ROWS = [
    "سارا,احمدی,09121234001,sara@example.com,نوین,vip،b2b,تهران",  # 2 good
    "رضا,کریمی,0912 12,,,,",  # 3 bad phone
    ",,09121234003,,,,",  # 4 missing name
    "{},بلند,09121234004,,,,".format("ن" * 101),  # 5 too long
    "مینا,رحیمی,09121234005,,,,آتلانتیس",  # 6 bad custom-field value (not a choice)
    "سارا,احمدی,۰۹۱۲۱۲۳۴۰۰۱,,,,",  # 7 duplicate of row 2 (Persian digits)
    "حمید,صالحی,+98 912 123 4099,,,,",  # 8 duplicate of an existing contact
    "نیما,یوسفی,00989121234008,nima@EXAMPLE.com,,,شیراز",  # 9 good
    "پریا,قاسمی,,bad-email,,,",  # 10 bad e-mail
]
CSV = (HEADER + "\n".join(ROWS) + "\n").encode()


def _run(tenants, data=CSV, filename="list.csv", on_duplicate="merge"):
    supervisor = tenants.user("supervisor")
    contact_import = do_create_contact_import(supervisor, filename, data)
    header, _rows, _total = preview(filename, data)
    mapping = guess_mapping(header, list(CustomField.objects.filter(tenant=tenants.home)))
    do_start_contact_import(
        supervisor, contact_import, mapping=mapping, on_duplicate=on_duplicate, background=False
    )
    contact_import.refresh_from_db()
    return contact_import


@pytest.fixture
def existing(tenants):
    do_create_contact(tenant=tenants.home, first_name="حمید", phones=["09121234099"])
    return tenants


def test_the_mapping_is_guessed_from_persian_headers(tenants):
    header, _rows, total = preview("list.csv", CSV)
    custom = list(CustomField.objects.filter(tenant=tenants.home))
    assert total == len(ROWS)
    assert guess_mapping(header, custom) == {
        "0": "first_name",
        "1": "last_name",
        "2": "phone",
        "3": "email",
        "4": "company",
        "5": "tags",
        "6": "custom:city",
    }


def test_good_rows_land_and_bad_rows_are_reported_by_number(existing):
    result = _run(existing)
    assert result.status == ContactImport.Status.DONE
    assert result.processed == result.total == 9
    reasons = {error["row"]: error["reason"] for error in result.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 10]
    assert "phone" in reasons[3] or "تلفن" in reasons[3]
    assert result.created_count == 2
    assert result.merged_count == 2
    sara = Contact.objects.get(tenant=existing.home, first_name="سارا")
    assert sara.tags == ["vip", "b2b"]
    assert sara.custom_fields == {"city": "تهران"}
    assert sara.identities.get(kind="phone").value == "+989121234001"
    nima = ContactIdentity.objects.get(value="+989121234008").contact
    assert nima.identities.get(kind="email").value == "nima@example.com"
    hamid = ContactIdentity.objects.get(value="+989121234099").contact
    assert hamid.last_name == "صالحی"  # merged: blank filled from the file


def test_duplicates_can_be_skipped_and_are_then_reported(existing):
    result = _run(existing, on_duplicate="skip")
    rows = {error["row"] for error in result.errors}
    assert {7, 8} <= rows
    assert result.created_count == 2
    assert result.merged_count == 0


def test_imported_contacts_are_searchable(existing):
    _run(existing)
    agent = existing.user("agent")
    assert [hit.title for hit in search(agent, "یوسفي", kinds=["contact"])] == ["نیما یوسفی"]
    assert [hit.title for hit in search(agent, "+989121234001")] == ["سارا احمدی"]


def test_an_xlsx_file_imports_like_a_csv(existing):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "Mobile", "Email"])
    sheet.append(["Arash", "Kamali", 9121234101, "arash@example.com"])  # Excel ate the 0
    sheet.append(["", "", 9121234102, ""])  # missing name
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _run(existing, data=buffer.getvalue(), filename="list.xlsx")
    assert result.created_count == 1
    assert result.errors == [{"row": 3, "reason": result.errors[0]["reason"]}]
    assert ContactIdentity.objects.get(value="+989121234101").contact.first_name == "Arash"


def test_a_windows_1256_csv_is_read(existing):
    data = "نام,موبايل\nكاوه,09121234201\n".encode("cp1256")  # Arabic ي/ك, as Excel saves
    result = _run(existing, data=data)
    assert result.created_count == 1
    assert Contact.objects.filter(first_name="کاوه").exists()  # stored with Persian ک


def test_unreadable_files_are_refused_with_a_reason(existing):
    supervisor = existing.user("supervisor")
    with pytest.raises(UnreadableFile):
        do_create_contact_import(supervisor, "list.xlsx", b"not a workbook")
    with pytest.raises(UnreadableFile):
        do_create_contact_import(supervisor, "list.pdf", b"%PDF")
    with pytest.raises(UnreadableFile):
        do_create_contact_import(supervisor, "list.csv", b"")


def test_agents_may_not_import(existing):
    with pytest.raises(PermissionDenied):
        do_create_contact_import(existing.user("agent"), "list.csv", CSV)
