"""Forms of the catalog and order pages (prices typed in any digits, in the tenant's unit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasokh.orders.models import Product
from pasokh.persian.digits import parse_int
from pasokh.tenancy.access import visible_to

LINE_ROWS = 5


class ProductForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    sku = forms.CharField(
        max_length=64, label=_("SKU"), widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    price = forms.CharField(
        max_length=24,
        label=_("Price"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    description = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Description"),
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active"))

    def __init__(self, unit: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["price"].label = _("Price (toman)") if unit == "toman" else _("Price (rial)")

    def clean_price(self) -> int:
        try:
            value = parse_int(self.cleaned_data["price"])
        except ValueError as error:
            raise forms.ValidationError(_("Enter a whole number.")) from error
        if value < 0:
            raise forms.ValidationError(_("A price cannot be negative."))
        return value * 10 if self.unit == "toman" else value


def parse_lines(user: Any, data: Any) -> tuple[list[tuple[Product, int]], list[str]]:
    """Order lines from rows ``product-N``/``quantity-N``; empty rows are skipped."""
    products = {str(p.pk): p for p in visible_to(user, Product).filter(is_active=True)}
    lines: list[tuple[Product, int]] = []
    errors: list[str] = []
    for index in range(LINE_ROWS * 4):
        product_id = data.get(f"product-{index}", "")
        if not product_id:
            continue
        product = products.get(product_id)
        try:
            quantity = parse_int(data.get(f"quantity-{index}", "") or "1")
        except ValueError:
            quantity = 0
        if product is None:
            errors.append(str(_("Unknown product.")))
        elif quantity < 1:
            errors.append(str(_("Enter a quantity of at least one.")))
        else:
            lines.append((product, quantity))
    return lines, errors
