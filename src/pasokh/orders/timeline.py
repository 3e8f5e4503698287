"""A contact's orders on their timeline (registered with the contacts app's registry)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from pasokh.contacts.timeline import TimelineItem, register_timeline_provider
from pasokh.orders.models import Order
from pasokh.orders.templatetags.money import money
from pasokh.tenancy.access import visible_to

LIMIT = 100


@register_timeline_provider("orders")
def order_items(user: Any, contact: Any) -> Iterable[TimelineItem]:
    orders = visible_to(user, Order).filter(contact=contact).order_by("-created_at")[:LIMIT]
    unit = str(getattr(user.tenant, "price_unit", "toman"))
    return [
        TimelineItem(
            at=order.created_at,
            kind="order",
            title=order.number,
            detail=f"{order.get_status_display()} · {money(order.total_rials, unit)}",
            url=reverse("orders:detail", args=[order.pk]),
        )
        for order in orders
    ]
