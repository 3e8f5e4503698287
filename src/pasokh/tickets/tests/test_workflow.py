"""Ticket statuses follow the workflow; anything else is refused with a clear message."""

from __future__ import annotations

import pytest

from pasokh.tickets.actions import do_change_ticket_status, do_create_ticket, do_create_ticket_type
from pasokh.tickets.tests.fixtures import Shop
from pasokh.tickets.workflow import TransitionError

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(shop: Shop):  # type: ignore[no-untyped-def]
    kind = do_create_ticket_type(tenant=shop.tenant, code="request", name="درخواست")
    return do_create_ticket(
        tenant=shop.tenant, actor=shop.agent, ticket_type=kind, subject="فاکتور"
    )


@pytest.mark.parametrize(
    "path",
    [
        ["open", "pending_customer", "open", "resolved", "closed"],
        ["resolved", "reopened", "open", "closed", "reopened", "resolved"],
        ["pending_customer", "resolved"],
        ["closed"],
    ],
)
def test_a_ticket_follows_the_workflow(shop: Shop, ticket, path: list[str]) -> None:  # type: ignore[no-untyped-def]
    for status in path:
        do_change_ticket_status(ticket=ticket, actor=shop.agent, status=status)
    ticket.refresh_from_db()
    assert ticket.status == path[-1]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "reopened"),
        (["open", "resolved"], "pending_customer"),
        (["closed"], "open"),
        (["closed"], "resolved"),
        ([], "new"),
        ([], "archived"),
    ],
)
def test_a_status_outside_the_workflow_is_refused(
    shop: Shop,
    ticket,
    path: list[str],
    refused: str,  # type: ignore[no-untyped-def]
) -> None:
    for status in path:
        do_change_ticket_status(ticket=ticket, actor=shop.agent, status=status)
    before = ticket.status
    with pytest.raises(TransitionError):
        do_change_ticket_status(ticket=ticket, actor=shop.agent, status=refused)
    ticket.refresh_from_db()
    assert ticket.status == before


def test_references_are_short_per_tenant_and_count_up(shop: Shop) -> None:
    from pasokh.tickets.tests.fixtures import make_shop

    kind = do_create_ticket_type(tenant=shop.tenant, code="x", name="x")
    first = do_create_ticket(tenant=shop.tenant, actor=None, ticket_type=kind, subject="a")
    second = do_create_ticket(tenant=shop.tenant, actor=None, ticket_type=kind, subject="b")
    other = make_shop("second-shop")
    other_kind = do_create_ticket_type(tenant=other.tenant, code="x", name="x")
    elsewhere = do_create_ticket(
        tenant=other.tenant, actor=None, ticket_type=other_kind, subject="c"
    )
    assert first.reference.startswith("TK-14")
    assert first.reference.endswith("-000001")
    assert second.reference.endswith("-000002")
    assert elsewhere.reference == first.reference
