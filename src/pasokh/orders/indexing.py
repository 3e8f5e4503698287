"""The searchable form of an order: its number, customer and products."""

from __future__ import annotations

from django.urls import reverse

from pasokh.orders.models import Order
from pasokh.search.actions import do_index_document


def index_order(order: Order) -> None:
    products = " ".join(line.product.name for line in order.lines.select_related("product"))
    customer = f"{order.contact.first_name} {order.contact.last_name}".strip()
    do_index_document(
        tenant=order.tenant,
        kind="order",
        object_id=order.pk,
        title=f"{order.number} {customer}",
        text=f"{products} {order.note}".strip(),
        url=reverse("orders:detail", args=[order.pk]),
    )
