"""The demo business's contact custom fields (customer code, city, birthday, segment)."""

from __future__ import annotations

import datetime as dt
import random

from pasokh.contacts.actions import do_create_custom_field, do_set_custom_fields
from pasokh.contacts.models import Contact, CustomField
from pasokh.tenancy.models import Tenant

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
