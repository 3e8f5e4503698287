"""The product catalog and the orders agents take for customers.

Money is stored in rials as integers (no rounding, no floats); pages show toman or rial as
the tenant prefers.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.tenancy.models import TenantOwned


class Product(TenantOwned):
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=64)
    price_rials = models.BigIntegerField(_("price (rials)"))
    description = models.TextField(_("description"), max_length=5000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "sku"], name="product_sku_unique"),
            models.CheckConstraint(
                condition=models.Q(price_rials__gte=0), name="product_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class OrderSequence(TenantOwned):
    """The last order number handed out in one Jalali year (row-locked while counting)."""

    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order number sequence")
        verbose_name_plural = _("order number sequences")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "year"], name="order_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Order(TenantOwned):
    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        CONFIRMED = "confirmed", _("Confirmed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        RETURNED = "returned", _("Returned")

    number = models.CharField(_("order number"), max_length=24, editable=False)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="orders", verbose_name=_("contact")
    )
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("interaction"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLACED
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    total_rials = models.BigIntegerField(_("total (rials)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created_at",)
        indexes: ClassVar = [
            models.Index(fields=["tenant", "contact", "-created_at"], name="order_timeline"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "number"], name="order_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(TenantOwned):
    """A product, a quantity and the unit price at the time of ordering."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_rials = models.BigIntegerField(_("unit price (rials)"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ("pk",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product.name}"

    @property
    def total_rials(self) -> int:
        return self.quantity * self.unit_price_rials
