"""Tickets over REST: agents open, answer and move cases; supervisors set types and SLAs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from pasokh.contacts.models import Contact
from pasokh.interactions.access import access_interaction
from pasokh.tenancy.access import access, access_team, access_user, visible_to
from pasokh.tenancy.calendars import business_calendar
from pasokh.tickets import actions, clock
from pasokh.tickets.access import (
    access_sla_policy,
    access_ticket,
    access_ticket_type,
    require_ticket_admin,
)
from pasokh.tickets.models import Priority, SlaAlert, SlaPolicy, Ticket, TicketComment, TicketType
from pasokh.tickets.schemas import (
    AlertOut,
    AssignIn,
    CommentIn,
    CommentOut,
    LinkIn,
    SlaPolicyIn,
    SlaPolicyOut,
    StatusIn,
    TicketIn,
    TicketOut,
    TicketPatch,
    TicketTypeIn,
    TicketTypeOut,
)
from pasokh.tickets.workflow import TransitionError, allowed_next

router = Router(tags=["tickets"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _configurator(request: HttpRequest) -> Any:
    user = _user(request)
    try:
        require_ticket_admin(user)
    except PermissionDenied as error:
        raise HttpError(403, "Supervisors and admins only") from error
    return user


def _priority(value: str) -> str:
    if value not in Priority.values:
        raise HttpError(422, f"Unknown priority: {value}")
    return value


def _out(ticket: Ticket, calendar: Any = None) -> dict[str, Any]:
    calendar = calendar or business_calendar(ticket.tenant)
    return {
        **{f: getattr(ticket, f) for f in TicketOut.model_fields if hasattr(ticket, f)},
        "interaction_ids": [i.pk for i in ticket.interactions.all()],
        "paused": ticket.is_paused,
        "business_seconds_left": clock.business_seconds_left(ticket, calendar, timezone.now()),
        "allowed_statuses": allowed_next(ticket.status),
    }


@router.get("/types", response=list[TicketTypeOut])
def list_types(request: HttpRequest) -> Any:
    return visible_to(_user(request), TicketType)


@router.post("/types", response={201: TicketTypeOut})
def create_type(request: HttpRequest, payload: TicketTypeIn) -> Any:
    user = _configurator(request)
    if visible_to(user, TicketType).filter(code=payload.code).exists():
        raise HttpError(409, "A ticket type with this code exists")
    return Status(201, actions.do_create_ticket_type(tenant=user.tenant, **payload.dict()))


@router.get("/sla-policies", response=list[SlaPolicyOut])
def list_policies(request: HttpRequest) -> Any:
    return visible_to(_user(request), SlaPolicy)


@router.post("/sla-policies", response={201: SlaPolicyOut})
def save_policy(request: HttpRequest, payload: SlaPolicyIn) -> Any:
    user = _configurator(request)
    ticket_type = (
        access_ticket_type(user, payload.ticket_type_id) if payload.ticket_type_id else None
    )
    escalate_to = access_user(user, payload.escalate_to_id) if payload.escalate_to_id else None
    return Status(
        201,
        actions.do_save_sla_policy(
            tenant=user.tenant,
            actor=user,
            ticket_type=ticket_type,
            priority=_priority(payload.priority),
            first_response_minutes=payload.first_response_minutes,
            resolution_minutes=payload.resolution_minutes,
            warn_percent=payload.warn_percent,
            escalate_to=escalate_to,
        ),
    )


@router.delete("/sla-policies/{policy_id}", response={204: None})
def delete_policy(request: HttpRequest, policy_id: int) -> Any:
    user = _configurator(request)
    actions.do_delete_sla_policy(policy=access_sla_policy(user, policy_id), actor=user)
    return Status(204, None)


@router.get("/tickets", response=list[TicketOut])
def list_tickets(
    request: HttpRequest,
    status: str | None = None,
    priority: str | None = None,
    assignee_id: int | None = None,
    contact_id: int | None = None,
    limit: int = 100,
) -> Any:
    user = _user(request)
    tickets = visible_to(user, Ticket).prefetch_related("interactions")
    for field, value in (
        ("status", status),
        ("priority", priority),
        ("assignee_id", assignee_id),
        ("contact_id", contact_id),
    ):
        if value is not None:
            tickets = tickets.filter(**{field: value})
    calendar = business_calendar(user.tenant)
    return [_out(t, calendar) for t in tickets[: max(1, min(limit, 500))]]


@router.post("/tickets", response={201: TicketOut})
def create_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    user = _user(request)
    ticket = actions.do_create_ticket(
        tenant=user.tenant,
        actor=user,
        ticket_type=access_ticket_type(user, payload.ticket_type_id),
        subject=payload.subject,
        description=payload.description,
        priority=_priority(payload.priority),
        contact=access(user, Contact, payload.contact_id) if payload.contact_id else None,
        interactions=[access_interaction(user, i) for i in payload.interaction_ids],
        assignee=access_user(user, payload.assignee_id) if payload.assignee_id else None,
        team=access_team(user, payload.team_id) if payload.team_id else None,
    )
    return Status(201, _out(ticket))


@router.get("/tickets/{ticket_id}", response=TicketOut)
def get_ticket(request: HttpRequest, ticket_id: int) -> Any:
    return _out(access_ticket(_user(request), ticket_id))


@router.patch("/tickets/{ticket_id}", response=TicketOut)
def update_ticket(request: HttpRequest, ticket_id: int, payload: TicketPatch) -> Any:
    user = _user(request)
    ticket = access_ticket(user, ticket_id)
    ticket = actions.do_update_ticket(
        ticket=ticket,
        actor=user,
        subject=payload.subject,
        description=payload.description,
        priority=_priority(payload.priority) if payload.priority else None,
        ticket_type=(
            access_ticket_type(user, payload.ticket_type_id) if payload.ticket_type_id else None
        ),
    )
    return _out(ticket)


@router.post("/tickets/{ticket_id}/status", response=TicketOut)
def change_status(request: HttpRequest, ticket_id: int, payload: StatusIn) -> Any:
    user = _user(request)
    ticket = access_ticket(user, ticket_id)
    try:
        ticket = actions.do_change_ticket_status(ticket=ticket, actor=user, status=payload.status)
    except TransitionError as error:
        raise HttpError(409, str(error)) from error
    return _out(ticket)


@router.post("/tickets/{ticket_id}/assign", response=TicketOut)
def assign(request: HttpRequest, ticket_id: int, payload: AssignIn) -> Any:
    user = _user(request)
    ticket = access_ticket(user, ticket_id)
    assignee = access_user(user, payload.assignee_id) if payload.assignee_id else None
    team = access_team(user, payload.team_id) if payload.team_id else None
    return _out(actions.do_assign_ticket(ticket=ticket, actor=user, assignee=assignee, team=team))


@router.post("/tickets/{ticket_id}/interactions", response=TicketOut)
def link_interaction(request: HttpRequest, ticket_id: int, payload: LinkIn) -> Any:
    user = _user(request)
    ticket = access_ticket(user, ticket_id)
    interaction = access_interaction(user, payload.interaction_id)
    actions.do_link_interaction(ticket=ticket, interaction=interaction, actor=user)
    return _out(ticket)


@router.get("/tickets/{ticket_id}/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, ticket_id: int) -> Any:
    return access_ticket(_user(request), ticket_id).comments.all()


@router.post("/tickets/{ticket_id}/comments", response={201: CommentOut})
def add_comment(request: HttpRequest, ticket_id: int, payload: CommentIn) -> Any:
    user = _user(request)
    ticket = access_ticket(user, ticket_id)
    if payload.kind not in TicketComment.Kind.values:
        raise HttpError(422, "kind must be internal or reply")
    return Status(
        201,
        actions.do_add_ticket_comment(
            ticket=ticket, actor=user, kind=payload.kind, body=payload.body
        ),
    )


@router.get("/alerts", response=list[AlertOut])
def my_alerts(request: HttpRequest) -> Any:
    """SLA warnings and breaches addressed to the caller, newest first."""
    user = _user(request)
    return visible_to(user, SlaAlert).filter(recipient=user)[:100]
