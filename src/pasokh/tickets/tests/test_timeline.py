"""A contact's tickets and orders appear on the contact timeline; tickets are searchable."""

from __future__ import annotations

import pytest

from pasokh.contacts.actions import do_create_contact
from pasokh.contacts.timeline import contact_timeline
from pasokh.orders.actions import do_create_order, do_save_product
from pasokh.search.models import SearchDocument
from pasokh.tickets.actions import do_create_ticket, do_create_ticket_type
from pasokh.tickets.tests.fixtures import Shop

pytestmark = pytest.mark.django_db


def test_tickets_and_orders_join_the_contact_timeline(shop: Shop) -> None:
    contact = do_create_contact(tenant=shop.tenant, first_name="سارا", last_name="محمدی")
    kind = do_create_ticket_type(tenant=shop.tenant, code="complaint", name="شکایت")
    ticket = do_create_ticket(
        tenant=shop.tenant, actor=shop.agent, ticket_type=kind, subject="دیر رسید", contact=contact
    )
    product = do_save_product(
        tenant=shop.tenant, actor=shop.supervisor, name="کابل", sku="C-1", price_rials=100_000
    )
    order = do_create_order(
        tenant=shop.tenant, actor=shop.agent, contact=contact, lines=[(product, 1)]
    )
    items = {(item.kind, item.title) for item in contact_timeline(shop.agent, contact)}
    assert ("ticket", f"{ticket.reference} دیر رسید") in items
    assert ("order", order.number) in items


def test_a_new_ticket_is_in_the_search_index(shop: Shop) -> None:
    kind = do_create_ticket_type(tenant=shop.tenant, code="request", name="درخواست")
    ticket = do_create_ticket(
        tenant=shop.tenant, actor=shop.agent, ticket_type=kind, subject="فاکتور رسمی"
    )
    document = SearchDocument.objects.get(tenant=shop.tenant, kind="ticket")
    assert document.object_id == str(ticket.pk)
    assert ticket.reference in document.title
