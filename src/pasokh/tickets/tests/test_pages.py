"""The casework pages take forms from agents: a ticket, a reply, a status, an order."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.contacts.actions import do_create_contact
from pasokh.orders.actions import do_save_product
from pasokh.orders.models import Order
from pasokh.tickets.actions import do_create_ticket_type
from pasokh.tickets.models import Ticket
from pasokh.tickets.tests.fixtures import Shop

pytestmark = pytest.mark.django_db


def test_an_agent_opens_answers_and_resolves_a_ticket(shop: Shop, client: Client) -> None:
    kind = do_create_ticket_type(tenant=shop.tenant, code="complaint", name="شکایت")
    contact = do_create_contact(tenant=shop.tenant, first_name="سارا", last_name="محمدی")
    client.force_login(shop.agent)
    response = client.post(
        "/tickets/new/",
        {
            "ticket_type": kind.pk,
            "priority": "high",
            "subject": "<b>دیر</b> رسید",
            "contact": contact.pk,
        },
    )
    ticket = Ticket.objects.get(tenant=shop.tenant)
    assert response.status_code == 302
    client.post(f"/tickets/{ticket.pk}/comment/", {"kind": "reply", "body": "پیگیری می‌کنیم"})
    client.post(f"/tickets/{ticket.pk}/status/", {"status": "resolved"})
    refused = client.post(
        f"/tickets/{ticket.pk}/status/", {"status": "pending_customer"}, follow=True
    )
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    assert ticket.first_responded_at is not None
    page = refused.content.decode()
    assert "&lt;b&gt;دیر&lt;/b&gt;" in page
    assert "نمی‌تواند" in page  # the refused transition is explained


def test_an_agent_takes_an_order_with_persian_digits(shop: Shop, client: Client) -> None:
    product = do_save_product(
        tenant=shop.tenant, actor=shop.supervisor, name="کابل", sku="C-1", price_rials=3_900_000
    )
    contact = do_create_contact(tenant=shop.tenant, first_name="سارا", last_name="محمدی")
    client.force_login(shop.agent)
    response = client.post(
        "/orders/new/", {"contact": contact.pk, "product-0": product.pk, "quantity-0": "۳"}
    )
    order = Order.objects.get(tenant=shop.tenant)
    assert response.status_code == 302
    assert order.total_rials == 3 * 3_900_000
    assert "۱٬۱۷۰٬۰۰۰ تومان" in client.get(f"/orders/{order.pk}/").content.decode()


def test_agents_cannot_open_the_authoring_pages(shop: Shop, client: Client) -> None:
    client.force_login(shop.agent)
    for path in ("/knowledge/scripts/new/", "/knowledge/canned/new/", "/orders/products/new/"):
        assert client.get(path).status_code == 403, path
    client.force_login(shop.supervisor)
    for path in ("/knowledge/scripts/new/", "/knowledge/canned/new/", "/orders/products/new/"):
        assert client.get(path).status_code == 200, path
