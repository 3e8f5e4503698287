"""SLA deadlines run on business time: nights, Fridays and Nowruz do not count."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pasokh.audit.models import AuditEntry
from pasokh.tenancy.calendars import business_calendar
from pasokh.tickets.actions import (
    do_add_ticket_comment,
    do_change_ticket_status,
    do_check_sla,
    do_create_ticket,
    do_create_ticket_type,
    do_save_sla_policy,
)
from pasokh.tickets.clock import business_seconds_left
from pasokh.tickets.models import SlaAlert, Ticket
from pasokh.tickets.tests.fixtures import Shop

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


def open_ticket(shop: Shop, now: datetime, first: int = 60, resolution: int = 8 * 60) -> Ticket:
    kind = do_create_ticket_type(tenant=shop.tenant, code="complaint", name="شکایت")
    do_save_sla_policy(
        tenant=shop.tenant,
        actor=shop.supervisor,
        ticket_type=kind,
        priority="high",
        first_response_minutes=first,
        resolution_minutes=resolution,
        escalate_to=shop.supervisor,
    )
    return do_create_ticket(
        tenant=shop.tenant,
        actor=shop.agent,
        ticket_type=kind,
        subject="گوشی خراب رسید",
        priority="high",
        assignee=shop.agent,
        now=now,
    )


def test_a_deadline_skips_the_friday(shop: Shop) -> None:
    # Thursday closes at 13:00; one hour is used on Thursday, three on Saturday morning.
    ticket = open_ticket(shop, at(2026, 11, 26, 12), resolution=4 * 60)
    assert ticket.resolution_due_at == at(2026, 11, 28, 11)


def test_a_deadline_skips_nowruz(shop: Shop) -> None:
    # Wed 16:00 → 1 h; Thu 08–13 → 5 h; Fri 20 March, 1–4 Farvardin 1405 (21–24 March) closed.
    ticket = open_ticket(shop, at(2026, 3, 18, 16), resolution=8 * 60)
    assert ticket.resolution_due_at == at(2026, 3, 25, 10)


def test_a_deadline_skips_the_night(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 16, 30), first=60)
    assert ticket.first_response_due_at == at(2026, 11, 29, 8, 30)
    assert ticket.first_response_warn_at == at(2026, 11, 29, 8, 18)  # 80 % of the hour


def test_a_ticket_created_at_night_starts_its_clock_at_opening(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 22), first=30)
    assert ticket.first_response_due_at == at(2026, 11, 29, 8, 30)


def test_waiting_for_the_customer_stops_the_resolution_clock(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 9), resolution=8 * 60)
    assert ticket.resolution_due_at == at(2026, 11, 28, 17)
    do_change_ticket_status(
        ticket=ticket, actor=shop.agent, status="open", now=at(2026, 11, 28, 10)
    )
    do_change_ticket_status(
        ticket=ticket, actor=shop.agent, status="pending_customer", now=at(2026, 11, 28, 11)
    )
    assert ticket.is_paused
    assert ticket.paused_remaining_seconds == 6 * 3600
    calendar = business_calendar(shop.tenant)
    assert business_seconds_left(ticket, calendar, at(2026, 11, 29, 16)) == 6 * 3600

    do_change_ticket_status(
        ticket=ticket, actor=shop.agent, status="open", now=at(2026, 11, 29, 10)
    )
    assert not ticket.is_paused
    assert ticket.resolution_due_at == at(2026, 11, 29, 16)


def test_a_paused_ticket_raises_no_alert(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 9), first=60, resolution=2 * 60)
    do_add_ticket_comment(ticket=ticket, actor=shop.agent, kind="reply", body="سلام")
    do_change_ticket_status(
        ticket=ticket, actor=shop.agent, status="pending_customer", now=at(2026, 11, 28, 9, 30)
    )
    assert do_check_sla(at(2026, 11, 30, 12)) == 0


def test_the_check_warns_then_breaches_and_escalates_once(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 9), first=60, resolution=8 * 60)

    assert do_check_sla(at(2026, 11, 28, 9, 30)) == 0
    assert do_check_sla(at(2026, 11, 28, 9, 50)) == 1
    assert do_check_sla(at(2026, 11, 28, 9, 55)) == 0
    warning = SlaAlert.objects.get(ticket=ticket)
    assert (warning.kind, warning.recipient) == ("first_response_warning", shop.agent)

    assert do_check_sla(at(2026, 11, 28, 10, 5)) == 1
    assert do_check_sla(at(2026, 11, 28, 10, 5)) == 0
    ticket.refresh_from_db()
    assert ticket.first_response_breached
    assert ticket.escalated
    assert ticket.escalated_to == shop.supervisor
    breach = SlaAlert.objects.get(ticket=ticket, kind="first_response_breach")
    assert breach.recipient == shop.supervisor
    assert (
        AuditEntry.objects.filter(action="ticket.escalated", object_id=str(ticket.pk)).count() == 1
    )


def test_the_first_reply_meets_the_first_response_clock(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 9), first=60, resolution=8 * 60)
    do_add_ticket_comment(
        ticket=ticket, actor=shop.agent, kind="internal", body="بررسی", now=at(2026, 11, 28, 9, 10)
    )
    assert ticket.first_responded_at is None
    do_add_ticket_comment(
        ticket=ticket, actor=shop.agent, kind="reply", body="سلام", now=at(2026, 11, 28, 9, 20)
    )
    assert ticket.first_responded_at == at(2026, 11, 28, 9, 20)
    assert do_check_sla(at(2026, 11, 28, 11)) == 0
    calendar = business_calendar(shop.tenant)
    assert business_seconds_left(ticket, calendar, at(2026, 11, 28, 11)) == 6 * 3600


def test_an_overdue_ticket_shows_negative_time_left(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 9), first=60)
    calendar = business_calendar(shop.tenant)
    assert business_seconds_left(ticket, calendar, at(2026, 11, 28, 10, 30)) == -30 * 60


def test_a_ticket_paused_when_overdue_stays_as_overdue_after_the_pause(shop: Shop) -> None:
    ticket = open_ticket(shop, at(2026, 11, 28, 9), resolution=60)
    do_change_ticket_status(
        ticket=ticket, actor=shop.agent, status="pending_customer", now=at(2026, 11, 28, 10, 30)
    )
    assert ticket.paused_remaining_seconds == -30 * 60
    do_change_ticket_status(ticket=ticket, actor=shop.agent, status="open", now=at(2026, 11, 29, 8))
    # Thirty business minutes before Sunday 08:00 is Saturday 16:30.
    assert ticket.resolution_due_at == at(2026, 11, 28, 16, 30)
