"""Writes to the catalog and to orders (the only write path for this app)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasokh.audit.actions import record_change
from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.orders.indexing import index_order
from pasokh.orders.models import Order, OrderLine, OrderSequence, Product
from pasokh.orders.workflow import EDITABLE, OrderError, check_transition
from pasokh.persian.jalali import to_jalali
from pasokh.tenancy.models import Tenant, User

MAX_QUANTITY = 10_000


@transaction.atomic
def do_save_product(
    *,
    tenant: Tenant,
    actor: User | None,
    name: str,
    sku: str,
    price_rials: int,
    description: str = "",
    is_active: bool = True,
    product: Product | None = None,
) -> Product:
    if price_rials < 0:
        raise OrderError(_("A price cannot be negative."))
    duplicate = Product.objects.filter(tenant=tenant, sku=sku)
    if product is not None:
        duplicate = duplicate.exclude(pk=product.pk)
    if duplicate.exists():
        raise OrderError(_("Another product already has the SKU %(sku)s.") % {"sku": sku})
    row = product or Product(tenant=tenant)
    row.name, row.sku, row.price_rials = name, sku, price_rials
    row.description, row.is_active = description, is_active
    row.save()
    record_change(
        tenant=tenant,
        actor=actor,
        action="product.changed" if product else "product.created",
        obj=row,
        changes={"price_rials": price_rials},
    )
    return row


def _next_number(tenant: Tenant, moment: datetime) -> str:
    year = to_jalali(timezone.localtime(moment)).year
    sequence, _created = OrderSequence.objects.get_or_create(tenant=tenant, year=year)
    sequence = OrderSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"OR-{year}-{sequence.last:06d}"


def _write_lines(order: Order, lines: Sequence[tuple[Product, int]]) -> None:
    if not lines:
        raise OrderError(_("An order needs at least one product."))
    for product, quantity in lines:
        if product.tenant_id != order.tenant_id:
            raise OrderError(_("Unknown product."))
        if not product.is_active:
            raise OrderError(_("%(name)s is no longer sold.") % {"name": product.name})
        if not 1 <= quantity <= MAX_QUANTITY:
            raise OrderError(_("A quantity must be between 1 and %(max)s.") % {"max": MAX_QUANTITY})
    order.lines.all().delete()
    OrderLine.objects.bulk_create(
        OrderLine(
            tenant=order.tenant,
            order=order,
            product=product,
            quantity=quantity,
            unit_price_rials=product.price_rials,
        )
        for product, quantity in lines
    )
    order.total_rials = sum(product.price_rials * quantity for product, quantity in lines)


@transaction.atomic
def do_create_order(
    *,
    tenant: Tenant,
    actor: User | None,
    contact: Contact,
    lines: Sequence[tuple[Product, int]],
    interaction: Interaction | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Order:
    """Take an order for a contact, during an interaction or from the contact's page."""
    moment = now or timezone.now()
    order = Order.objects.create(
        tenant=tenant,
        number=_next_number(tenant, moment),
        contact=contact,
        interaction=interaction,
        note=note,
        created_by=actor,
        created_at=moment,
    )
    _write_lines(order, lines)
    order.save(update_fields=["total_rials"])
    record_change(
        tenant=tenant,
        actor=actor,
        action="order.created",
        obj=order,
        changes={"total_rials": order.total_rials},
    )
    index_order(order)
    return order


@transaction.atomic
def do_update_order_lines(
    *, order: Order, actor: User | None, lines: Sequence[tuple[Product, int]], note: str | None
) -> Order:
    if order.status not in EDITABLE:
        raise OrderError(
            _("A %(status)s order cannot be changed.") % {"status": order.get_status_display()}
        )
    _write_lines(order, lines)
    if note is not None:
        order.note = note
    order.save()
    record_change(
        tenant=order.tenant,
        actor=actor,
        action="order.changed",
        obj=order,
        changes={"total_rials": order.total_rials},
    )
    index_order(order)
    return order


@transaction.atomic
def do_change_order_status(*, order: Order, actor: User | None, status: str) -> Order:
    previous = order.status
    check_transition(previous, status)
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    record_change(
        tenant=order.tenant,
        actor=actor,
        action="order.status_changed",
        obj=order,
        changes={"status": [previous, status]},
    )
    return order
