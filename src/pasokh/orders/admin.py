from __future__ import annotations

from django.contrib import admin

from pasokh.orders.models import Product
from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role


@admin.register(Product)
class ProductAdmin(TenantScopedAdmin):
    list_display = ("name", "sku", "price_rials", "is_active")
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)
    ltr_fields = ("sku", "price_rials")
