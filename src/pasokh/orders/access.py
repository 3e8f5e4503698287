"""Chokepoints for the catalog and orders: agents take orders, supervisors keep the catalog."""

from __future__ import annotations

from typing import Any

from pasokh.orders.models import Order, Product
from pasokh.tenancy.access import access, require_role
from pasokh.tenancy.models import Role


def access_product(user: Any, product_id: object) -> Product:
    return access(user, Product, product_id)


def access_order(user: Any, order_id: object) -> Order:
    return access(user, Order, order_id)


def require_catalog_editor(user: Any) -> None:
    require_role(user, Role.SUPERVISOR, Role.ADMIN)
