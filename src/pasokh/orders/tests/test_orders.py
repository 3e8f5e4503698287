"""Orders: totals in rials, status rules, and prices shown in the tenant's unit."""

from __future__ import annotations

import pytest
from django.utils import translation

from pasokh.contacts.actions import do_create_contact
from pasokh.orders.actions import (
    do_change_order_status,
    do_create_order,
    do_save_product,
    do_update_order_lines,
)
from pasokh.orders.models import Order
from pasokh.orders.templatetags.money import money
from pasokh.orders.workflow import OrderError
from pasokh.tickets.tests.fixtures import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(shop: Shop) -> Order:
    phone = do_save_product(
        tenant=shop.tenant, actor=shop.supervisor, name="گوشی", sku="PH-1", price_rials=125_000_000
    )
    cable = do_save_product(
        tenant=shop.tenant, actor=shop.supervisor, name="کابل", sku="CB-1", price_rials=3_900_000
    )
    contact = do_create_contact(tenant=shop.tenant, first_name="سارا", last_name="محمدی")
    return do_create_order(
        tenant=shop.tenant, actor=shop.agent, contact=contact, lines=[(phone, 1), (cable, 2)]
    )


def test_the_total_is_the_sum_of_the_lines_in_rials(order: Order) -> None:
    assert order.total_rials == 125_000_000 + 2 * 3_900_000
    assert order.number.startswith("OR-14")


@pytest.mark.parametrize(
    "path",
    [
        ["confirmed", "shipped", "delivered"],
        ["confirmed", "shipped", "delivered", "returned"],
        ["cancelled"],
        ["confirmed", "cancelled"],
    ],
)
def test_an_order_follows_its_lifecycle(shop: Shop, order: Order, path: list[str]) -> None:
    for status in path:
        do_change_order_status(order=order, actor=shop.agent, status=status)
    order.refresh_from_db()
    assert order.status == path[-1]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "shipped"),
        ([], "delivered"),
        ([], "returned"),
        (["confirmed", "shipped"], "cancelled"),
        (["cancelled"], "confirmed"),
        (["confirmed", "shipped", "delivered", "returned"], "delivered"),
        ([], "lost"),
    ],
)
def test_an_invalid_status_change_is_refused(
    shop: Shop, order: Order, path: list[str], refused: str
) -> None:
    for status in path:
        do_change_order_status(order=order, actor=shop.agent, status=status)
    with pytest.raises(OrderError, match=r"\S"):
        do_change_order_status(order=order, actor=shop.agent, status=refused)


def test_lines_cannot_change_after_shipping(shop: Shop, order: Order) -> None:
    lines = [(line.product, 3) for line in order.lines.all()]
    do_update_order_lines(order=order, actor=shop.agent, lines=lines, note=None)
    assert order.total_rials == 3 * (125_000_000 + 3_900_000)
    do_change_order_status(order=order, actor=shop.agent, status="confirmed")
    do_change_order_status(order=order, actor=shop.agent, status="shipped")
    with pytest.raises(OrderError):
        do_update_order_lines(order=order, actor=shop.agent, lines=lines, note=None)


def test_a_sku_is_unique_per_tenant(shop: Shop, order: Order) -> None:
    with pytest.raises(OrderError):
        do_save_product(
            tenant=shop.tenant, actor=shop.supervisor, name="دیگر", sku="PH-1", price_rials=1
        )


@pytest.mark.parametrize(
    ("language", "unit", "rials", "shown"),
    [
        ("fa", "toman", 125_000_000, "۱۲٬۵۰۰٬۰۰۰ تومان"),
        ("fa", "rial", 125_000_000, "۱۲۵٬۰۰۰٬۰۰۰ ریال"),
        ("en", "toman", 125_000_000, "12,500,000 toman"),
        ("en", "rial", 3_900_005, "3,900,005 rial"),
        ("fa", "toman", 15, "۱٫۵ تومان"),
    ],
)
def test_money_is_shown_in_the_tenant_unit(
    language: str, unit: str, rials: int, shown: str
) -> None:
    with translation.override(language):
        assert money(rials, unit) == shown
