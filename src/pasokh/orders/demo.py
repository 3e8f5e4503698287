"""Demo catalog and orders for DigiNoo, an online electronics shop (prices in rials)."""

from __future__ import annotations

import random
from datetime import timedelta

from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.orders.actions import do_change_order_status, do_create_order, do_save_product
from pasokh.tenancy.models import Role, Tenant, User

PRODUCTS = (
    ("گوشی سامسونگ گلکسی A55 ۲۵۶ گیگ", "SM-A556-256", 245_000_000),
    ("لپ‌تاپ لنوو IdeaPad Slim 3", "LN-IPS3-15", 389_000_000),
    ("هدفون بی‌سیم سونی WH-CH720N", "SN-WHCH720", 62_500_000),
    ("تلویزیون ال‌جی ۵۵ اینچ 4K", "LG-55UR7300", 412_000_000),
    ("پاوربانک شیائومی ۲۰۰۰۰ میلی‌آمپر", "MI-PB20K", 12_500_000),
    ("کابل شارژ USB-C انکر", "AK-USBC-1M", 3_900_000),
)
PATHS = (
    [],
    ["confirmed"],
    ["confirmed", "shipped"],
    ["confirmed", "shipped", "delivered"],
    ["cancelled"],
    ["confirmed", "shipped", "delivered", "returned"],
)


def build_orders_demo(tenant: Tenant, rng: random.Random) -> None:
    supervisor = User.objects.filter(tenant=tenant, role=Role.SUPERVISOR).order_by("pk").first()
    agents = list(User.objects.filter(tenant=tenant, role=Role.AGENT).order_by("pk"))
    products = [
        do_save_product(tenant=tenant, actor=supervisor, name=name, sku=sku, price_rials=price)
        for name, sku, price in PRODUCTS
    ]
    contacts = list(Contact.objects.filter(tenant=tenant).order_by("pk"))
    interactions = list(
        Interaction.objects.filter(tenant=tenant, contact__isnull=False).order_by("-arrived_at")
    )
    for index, path in enumerate(PATHS):
        interaction = interactions[index] if index < len(interactions) else None
        contact = interaction.contact if interaction else contacts[index % len(contacts)]
        chosen = rng.sample(products, k=rng.randint(1, 3))
        order = do_create_order(
            tenant=tenant,
            actor=rng.choice(agents) if agents else supervisor,
            contact=contact,
            interaction=interaction,
            lines=[(product, rng.randint(1, 2)) for product in chosen],
            note="ارسال به نشانی محل کار" if index % 3 == 0 else "",
            now=(interaction.arrived_at + timedelta(minutes=4)) if interaction else None,
        )
        for status in path:
            do_change_order_status(order=order, actor=supervisor, status=status)
