"""The demo business's contact custom fields and one finished import of exhibition leads."""

from __future__ import annotations

import datetime as dt
import random

from pasokh.contacts.actions import (
    do_create_contact_import,
    do_create_custom_field,
    do_set_custom_fields,
    do_start_contact_import,
)
from pasokh.contacts.importing import guess_mapping, preview
from pasokh.contacts.models import Contact, CustomField
from pasokh.tenancy.models import Role, Tenant, User

CITIES = ["تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "رشت", "کرج"]
SEGMENTS = ["عادی", "طلایی", "سازمانی"]


def build_contacts_demo(tenant: Tenant, rng: random.Random, contacts: list[Contact]) -> None:
    do_create_custom_field(tenant=tenant, key="customer_code", label="کد مشتری", position=1)
    do_create_custom_field(
        tenant=tenant,
        key="city",
        label="شهر",
        type=CustomField.Type.CHOICE,
        choices=CITIES,
        position=2,
    )
    do_create_custom_field(
        tenant=tenant,
        key="segment",
        label="سطح مشتری",
        type=CustomField.Type.CHOICE,
        choices=SEGMENTS,
        position=3,
    )
    do_create_custom_field(
        tenant=tenant, key="birthday", label="تاریخ تولد", type=CustomField.Type.DATE, position=4
    )
    for index, contact in enumerate(contacts):
        birthday = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        do_set_custom_fields(
            contact,
            {
                "customer_code": f"C-{10400 + index}",
                "city": rng.choice(CITIES),
                "segment": rng.choices(SEGMENTS, weights=(6, 2, 1))[0],
                "birthday": birthday.isoformat(),
            },
        )
    build_demo_import(tenant, rng)


def _exhibition_leads(rng: random.Random) -> bytes:
    names = [("کیوان", "صدری"), ("الهام", "نادری"), ("بهرام", "فرجی"), ("شیرین", "امامی")]
    lines = ["نام,نام خانوادگی,موبایل,شهر"]
    for first, last in names:
        lines.append(
            f"{first},{last},0939{rng.randrange(1_000_000, 9_999_999)},{rng.choice(CITIES)}"
        )
    lines.append("بدون نام,,0912,")  # the booth's scanner misread this card
    return ("\n".join(lines) + "\n").encode()


def build_demo_import(tenant: Tenant, rng: random.Random) -> None:
    supervisor = User.objects.filter(tenant=tenant, role=Role.SUPERVISOR).first()
    if supervisor is None:
        return
    data = _exhibition_leads(rng)
    contact_import = do_create_contact_import(supervisor, "exhibition-leads.csv", data)
    header, _rows, _total = preview("exhibition-leads.csv", data)
    mapping = guess_mapping(header, list(CustomField.objects.filter(tenant=tenant)))
    do_start_contact_import(supervisor, contact_import, mapping=mapping, background=False)
