"""Writes to tickets, their comments and SLA policies (the only write path for this app)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pasokh.audit.actions import record_change
from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.persian.jalali import to_jalali
from pasokh.tenancy.calendars import business_calendar
from pasokh.tenancy.models import Role, Team, Tenant, User
from pasokh.tickets import sla
from pasokh.tickets.indexing import index_ticket
from pasokh.tickets.models import (
    Priority,
    SlaAlert,
    SlaPolicy,
    Status,
    Ticket,
    TicketComment,
    TicketSequence,
    TicketType,
)
from pasokh.tickets.workflow import ACTIVE, check_transition


@transaction.atomic
def do_create_ticket_type(*, tenant: Tenant, code: str, name: str) -> TicketType:
    return TicketType.objects.create(tenant=tenant, code=code, name=name)


@transaction.atomic
def do_save_sla_policy(
    *,
    tenant: Tenant,
    actor: User | None,
    ticket_type: TicketType | None,
    priority: str,
    first_response_minutes: int,
    resolution_minutes: int,
    warn_percent: int = 80,
    escalate_to: User | None = None,
) -> SlaPolicy:
    """Create or replace the targets for a type and priority; open tickets keep theirs."""
    policy, created = SlaPolicy.objects.update_or_create(
        tenant=tenant,
        ticket_type=ticket_type,
        priority=priority,
        defaults={
            "first_response_minutes": first_response_minutes,
            "resolution_minutes": resolution_minutes,
            "warn_percent": warn_percent,
            "escalate_to": escalate_to,
        },
    )
    record_change(
        tenant=tenant,
        actor=actor,
        action="sla_policy.created" if created else "sla_policy.changed",
        obj=policy,
        changes={"first_response": first_response_minutes, "resolution": resolution_minutes},
    )
    return policy


@transaction.atomic
def do_delete_sla_policy(*, policy: SlaPolicy, actor: User | None) -> None:
    record_change(tenant=policy.tenant, actor=actor, action="sla_policy.deleted", obj=policy)
    policy.delete()


def policy_for(tenant: Tenant, ticket_type: TicketType, priority: str) -> SlaPolicy | None:
    """The type's own policy for the priority, else the tenant-wide one for that priority."""
    policies = SlaPolicy.objects.filter(tenant=tenant, priority=priority)
    return (
        policies.filter(ticket_type=ticket_type).first()
        or policies.filter(ticket_type__isnull=True).first()
    )


def _next_reference(tenant: Tenant, moment: datetime) -> str:
    """«TK-1405-000123»: Jalali year of creation and a per-tenant counter within it."""
    year = to_jalali(timezone.localtime(moment)).year
    sequence, _ = TicketSequence.objects.get_or_create(tenant=tenant, year=year)
    sequence = TicketSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"TK-{year}-{sequence.last:06d}"


def _apply_policy(ticket: Ticket, start: datetime) -> None:
    policy = policy_for(ticket.tenant, ticket.ticket_type, ticket.priority)
    ticket.sla_policy = policy
    if policy is None:
        ticket.resolution_target_seconds = None
        ticket.first_response_due_at = ticket.first_response_warn_at = None
        ticket.resolution_due_at = ticket.resolution_warn_at = None
        return
    calendar = business_calendar(ticket.tenant)
    ticket.warn_percent = policy.warn_percent
    ticket.resolution_target_seconds = policy.resolution_minutes * 60
    if ticket.first_responded_at is None:
        first = sla.deadline(
            calendar, start, policy.first_response_minutes * 60, policy.warn_percent
        )
        ticket.first_response_due_at, ticket.first_response_warn_at = first.due_at, first.warn_at
    resolution = sla.deadline(
        calendar, start, ticket.resolution_target_seconds, policy.warn_percent
    )
    ticket.resolution_due_at, ticket.resolution_warn_at = resolution.due_at, resolution.warn_at


@transaction.atomic
def do_create_ticket(
    *,
    tenant: Tenant,
    actor: User | None,
    ticket_type: TicketType,
    subject: str,
    description: str = "",
    priority: str = Priority.NORMAL,
    contact: Contact | None = None,
    interactions: Iterable[Interaction] = (),
    assignee: User | None = None,
    team: Team | None = None,
    now: datetime | None = None,
) -> Ticket:
    moment = now or timezone.now()
    ticket = Ticket(
        tenant=tenant,
        reference=_next_reference(tenant, moment),
        ticket_type=ticket_type,
        subject=subject,
        description=description,
        priority=priority,
        contact=contact,
        assignee=assignee,
        team=team,
        created_by=actor,
        created_at=moment,
    )
    _apply_policy(ticket, moment)
    ticket.save()
    ticket.interactions.set(list(interactions))
    record_change(tenant=tenant, actor=actor, action="ticket.created", obj=ticket)
    index_ticket(ticket)
    return ticket


@transaction.atomic
def do_update_ticket(
    *,
    ticket: Ticket,
    actor: User | None,
    subject: str | None = None,
    description: str | None = None,
    priority: str | None = None,
    ticket_type: TicketType | None = None,
) -> Ticket:
    """Edit what the ticket is about; a new type or priority re-promises the SLA from creation."""
    changes: dict[str, Any] = {}
    for field, value in (
        ("subject", subject),
        ("description", description),
        ("priority", priority),
        ("ticket_type", ticket_type),
    ):
        if value is not None and getattr(ticket, field) != value:
            changes[field] = str(value)
            setattr(ticket, field, value)
    if ({"priority", "ticket_type"} & changes.keys()) and not ticket.is_paused:
        _apply_policy(ticket, ticket.created_at)
    ticket.save()
    if changes:
        record_change(
            tenant=ticket.tenant, actor=actor, action="ticket.changed", obj=ticket, changes=changes
        )
    index_ticket(ticket)
    return ticket


@transaction.atomic
def do_assign_ticket(
    *, ticket: Ticket, actor: User | None, assignee: User | None, team: Team | None
) -> Ticket:
    ticket.assignee, ticket.team = assignee, team
    ticket.save(update_fields=["assignee", "team", "updated_at"])
    record_change(
        tenant=ticket.tenant,
        actor=actor,
        action="ticket.assigned",
        obj=ticket,
        changes={"assignee": str(assignee or ""), "team": str(team or "")},
    )
    return ticket


def _pause(ticket: Ticket, moment: datetime) -> None:
    if ticket.is_paused or ticket.resolution_due_at is None:
        ticket.paused_at = ticket.paused_at or moment
        return
    calendar = business_calendar(ticket.tenant)
    ticket.paused_remaining_seconds = sla.remaining_seconds(
        calendar, moment, ticket.resolution_due_at
    )
    ticket.paused_at = moment


def _resume(ticket: Ticket, moment: datetime) -> None:
    remaining = ticket.paused_remaining_seconds
    ticket.paused_at = None
    ticket.paused_remaining_seconds = None
    if remaining is None or ticket.resolution_target_seconds is None:
        return
    resumed = sla.resumed_deadline(
        business_calendar(ticket.tenant),
        moment,
        remaining,
        ticket.resolution_target_seconds,
        ticket.warn_percent,
    )
    ticket.resolution_due_at, ticket.resolution_warn_at = resumed.due_at, resumed.warn_at


@transaction.atomic
def do_change_ticket_status(
    *, ticket: Ticket, actor: User | None, status: str, now: datetime | None = None
) -> Ticket:
    """Move along the workflow (or raise TransitionError); waiting for the customer pauses SLA."""
    moment = now or timezone.now()
    previous = ticket.status
    check_transition(previous, status)
    if status == Status.PENDING_CUSTOMER:
        _pause(ticket, moment)
    elif previous == Status.PENDING_CUSTOMER:
        _resume(ticket, moment)
    if status == Status.RESOLVED:
        ticket.resolved_at = moment
    if status == Status.CLOSED:
        ticket.closed_at = moment
    if status == Status.REOPENED:
        ticket.resolved_at = ticket.closed_at = None
        ticket.resolution_breached = ticket.resolution_warned = False
        _apply_policy(ticket, moment)
    ticket.status = status
    ticket.save()
    record_change(
        tenant=ticket.tenant,
        actor=actor,
        action="ticket.status_changed",
        obj=ticket,
        changes={"status": [previous, status]},
    )
    return ticket


@transaction.atomic
def do_add_ticket_comment(
    *, ticket: Ticket, actor: User | None, kind: str, body: str, now: datetime | None = None
) -> TicketComment:
    """An internal comment, or a reply to the customer (the first reply meets first response)."""
    moment = now or timezone.now()
    comment = TicketComment.objects.create(
        tenant=ticket.tenant, ticket=ticket, author=actor, kind=kind, body=body, created_at=moment
    )
    if kind == TicketComment.Kind.REPLY and ticket.first_responded_at is None:
        ticket.first_responded_at = moment
        ticket.save(update_fields=["first_responded_at", "updated_at"])
    return comment


@transaction.atomic
def do_link_interaction(*, ticket: Ticket, interaction: Interaction, actor: User | None) -> None:
    ticket.interactions.add(interaction)
    if ticket.contact_id is None and interaction.contact_id is not None:
        ticket.contact_id = interaction.contact_id
        ticket.save(update_fields=["contact", "updated_at"])
    record_change(
        tenant=ticket.tenant,
        actor=actor,
        action="ticket.interaction_linked",
        obj=ticket,
        changes={"interaction": interaction.pk},
    )


def _supervisor_for(ticket: Ticket) -> User | None:
    """Who is told of a breach: the policy's named person, else a supervisor of the team."""
    if ticket.sla_policy is not None and ticket.sla_policy.escalate_to is not None:
        return ticket.sla_policy.escalate_to
    staff = User.objects.filter(tenant=ticket.tenant, is_active=True)
    supervisors = staff.filter(role=Role.SUPERVISOR).order_by("pk")
    if ticket.team_id is not None and supervisors.filter(teams=ticket.team_id).exists():
        return supervisors.filter(teams=ticket.team_id).first()
    return supervisors.first() or staff.filter(role=Role.ADMIN).order_by("pk").first()


def _alert(ticket: Ticket, kind: str, recipient: User | None, moment: datetime) -> bool:
    _, created = SlaAlert.objects.get_or_create(
        tenant=ticket.tenant,
        ticket=ticket,
        kind=kind,
        defaults={"recipient": recipient, "created_at": moment},
    )
    if created:
        record_change(
            tenant=ticket.tenant,
            actor=None,
            action=f"ticket.sla_{kind}",
            obj=ticket,
            changes={"recipient": str(recipient or "")},
        )
    return created


def _escalate(ticket: Ticket, moment: datetime) -> User | None:
    if not ticket.escalated:
        ticket.escalated = True
        ticket.escalated_to = _supervisor_for(ticket)
        record_change(
            tenant=ticket.tenant,
            actor=None,
            action="ticket.escalated",
            obj=ticket,
            changes={"to": str(ticket.escalated_to or "")},
        )
    return ticket.escalated_to


def _check_clock(ticket: Ticket, moment: datetime, clock: str) -> int:
    """Warn once, then mark the breach and escalate once, for one of the two clocks."""
    created = 0
    warn_at, due_at = getattr(ticket, f"{clock}_warn_at"), getattr(ticket, f"{clock}_due_at")
    if due_at is not None and due_at <= moment and not getattr(ticket, f"{clock}_breached"):
        setattr(ticket, f"{clock}_breached", True)
        setattr(ticket, f"{clock}_warned", True)
        created += _alert(ticket, f"{clock}_breach", _escalate(ticket, moment), moment)
    if warn_at is not None and warn_at <= moment and not getattr(ticket, f"{clock}_warned"):
        setattr(ticket, f"{clock}_warned", True)
        recipient = ticket.assignee or _supervisor_for(ticket)
        created += _alert(ticket, f"{clock}_warning", recipient, moment)
    return created


def do_check_sla(now: datetime | None = None) -> int:
    """Mark warned and breached clocks of every tenant's running tickets; alert and escalate.

    Safe to run as often as wanted: flags and a unique alert per ticket and kind mean a
    second run at the same moment changes nothing. Returns the number of new alerts.
    """
    moment = now or timezone.now()
    due = (
        Q(
            first_responded_at__isnull=True,
            first_response_warned=False,
            first_response_warn_at__lte=moment,
        )
        | Q(
            first_responded_at__isnull=True,
            first_response_breached=False,
            first_response_due_at__lte=moment,
        )
        | Q(resolution_warned=False, resolution_warn_at__lte=moment)
        | Q(resolution_breached=False, resolution_due_at__lte=moment)
    )
    created = 0
    candidates = Ticket.objects.filter(due, status__in=ACTIVE, paused_at__isnull=True)
    for ticket_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
            if ticket.first_responded_at is None:
                created += _check_clock(ticket, moment, "first_response")
            created += _check_clock(ticket, moment, "resolution")
            ticket.save()
    return created
