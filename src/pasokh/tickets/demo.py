"""Demo tickets for DigiNoo: types, SLA policies and a few cases raised by past interactions."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from pasokh.interactions.models import Interaction
from pasokh.tenancy.models import Role, Tenant, User
from pasokh.tickets.actions import (
    do_add_ticket_comment,
    do_change_ticket_status,
    do_check_sla,
    do_create_ticket,
    do_create_ticket_type,
    do_save_sla_policy,
)
from pasokh.tickets.models import Priority

TYPES = (
    ("complaint", "شکایت"),
    ("criticism", "انتقاد و پیشنهاد"),
    ("request", "درخواست"),
    ("technical", "مشکل فنی"),
    ("order_problem", "مشکل سفارش"),
)
# priority: (first response, resolution) in business minutes
POLICIES = {
    Priority.URGENT: (30, 4 * 60),
    Priority.HIGH: (60, 8 * 60),
    Priority.NORMAL: (2 * 60, 16 * 60),
    Priority.LOW: (4 * 60, 40 * 60),
}
CASES = (
    ("complaint", Priority.HIGH, "گوشی ارسالی با رنگ سفارش داده‌شده فرق دارد", "resolved"),
    ("order_problem", Priority.URGENT, "سفارش بعد از پنج روز هنوز ارسال نشده است", "open"),
    ("technical", Priority.NORMAL, "لپ‌تاپ پس از به‌روزرسانی روشن نمی‌شود", "pending_customer"),
    ("request", Priority.LOW, "درخواست فاکتور رسمی برای شرکت", "closed"),
    ("criticism", Priority.NORMAL, "زمان انتظار پشت خط تلفن طولانی است", "new"),
    ("complaint", Priority.URGENT, "مبلغ دو بار از حساب کسر شده است", "reopened"),
)
REPLY = "سلام، درخواست شما ثبت شد و همکاران ما در حال پیگیری هستند."
INTERNAL = "با انبار هماهنگ شد؛ منتظر پاسخ واحد ارسال هستیم."


def build_tickets_demo(tenant: Tenant, rng: random.Random) -> None:
    supervisor = User.objects.filter(tenant=tenant, role=Role.SUPERVISOR).order_by("pk").first()
    agents = list(User.objects.filter(tenant=tenant, role=Role.AGENT).order_by("pk"))
    types = {
        code: do_create_ticket_type(tenant=tenant, code=code, name=name) for code, name in TYPES
    }
    for priority, (first, resolution) in POLICIES.items():
        do_save_sla_policy(
            tenant=tenant,
            actor=supervisor,
            ticket_type=None,
            priority=priority,
            first_response_minutes=first,
            resolution_minutes=resolution,
            escalate_to=supervisor,
        )
    do_save_sla_policy(
        tenant=tenant,
        actor=supervisor,
        ticket_type=types["complaint"],
        priority=Priority.HIGH,
        first_response_minutes=30,
        resolution_minutes=6 * 60,
        escalate_to=supervisor,
    )
    interactions = list(
        Interaction.objects.filter(tenant=tenant, contact__isnull=False).order_by("arrived_at")
    )
    now = timezone.now()
    for index, (code, priority, subject, status) in enumerate(CASES):
        interaction = interactions[index % len(interactions)] if interactions else None
        agent = rng.choice(agents) if agents else None
        created = interaction.arrived_at if interaction else now - timedelta(days=index + 1)
        ticket = do_create_ticket(
            tenant=tenant,
            actor=agent,
            ticket_type=types[code],
            subject=subject,
            description=subject + ".",
            priority=priority,
            contact=interaction.contact if interaction else None,
            interactions=[interaction] if interaction else [],
            assignee=agent,
            now=created,
        )
        if status == "new":
            continue
        do_add_ticket_comment(
            ticket=ticket,
            actor=agent,
            kind="reply",
            body=REPLY,
            now=created + timedelta(minutes=20),
        )
        do_add_ticket_comment(
            ticket=ticket,
            actor=agent,
            kind="internal",
            body=INTERNAL,
            now=created + timedelta(hours=1),
        )
        step = created + timedelta(hours=2)
        path = {
            "open": ["open"],
            "pending_customer": ["open", "pending_customer"],
            "resolved": ["open", "resolved"],
            "closed": ["open", "resolved", "closed"],
            "reopened": ["open", "resolved", "reopened"],
        }[status]
        for next_status in path:
            do_change_ticket_status(ticket=ticket, actor=agent, status=next_status, now=step)
            step += timedelta(hours=3)
    do_check_sla(now)
