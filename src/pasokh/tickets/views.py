"""Ticket pages: the list with time left, a new-ticket form, and the ticket itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pasokh.interactions.access import access_interaction
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.calendars import business_calendar
from pasokh.tickets import actions, clock
from pasokh.tickets.access import access_ticket
from pasokh.tickets.forms import AssignForm, CommentForm, TicketForm
from pasokh.tickets.models import Priority, Status, Ticket, TicketType
from pasokh.tickets.workflow import TransitionError, allowed_next

PAGE = 100


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    tickets = visible_to(user, Ticket).select_related("ticket_type", "contact", "assignee")
    filters = {k: request.GET.get(k, "") for k in ("status", "priority", "type", "mine", "q")}
    if filters["status"] == "active":
        tickets = tickets.exclude(status__in=[Status.RESOLVED, Status.CLOSED])
    elif filters["status"] in Status.values:
        tickets = tickets.filter(status=filters["status"])
    if filters["priority"] in Priority.values:
        tickets = tickets.filter(priority=filters["priority"])
    if filters["type"].isdigit():
        tickets = tickets.filter(ticket_type_id=int(filters["type"]))
    if filters["mine"]:
        tickets = tickets.filter(assignee=user)
    if filters["q"]:
        q = filters["q"].strip()[:100]
        tickets = tickets.filter(Q(reference__icontains=q) | Q(subject__icontains=q))
    calendar, now = business_calendar(user.tenant), timezone.now()
    rows = [(t, clock.business_seconds_left(t, calendar, now)) for t in tickets[:PAGE]]
    return render(
        request,
        "tickets/list.html",
        {
            "section": "tickets",
            "rows": rows,
            "filters": filters,
            "statuses": Status.choices,
            "priorities": Priority.choices,
            "types": visible_to(user, TicketType),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    interaction = None
    if request.GET.get("interaction", "").isdigit():
        interaction = access_interaction(user, int(request.GET["interaction"]))
    initial = {"contact": interaction.contact_id if interaction else request.GET.get("contact")}
    form = TicketForm(user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ticket = actions.do_create_ticket(
            tenant=user.tenant,
            actor=user,
            ticket_type=data["ticket_type"],
            subject=data["subject"],
            description=data["description"],
            priority=data["priority"],
            contact=data["contact"],
            interactions=[interaction] if interaction else [],
            assignee=data["assignee"],
            team=data["team"],
        )
        return redirect("tickets:detail", ticket.pk)
    return render(
        request,
        "tickets/new.html",
        {"form": form, "interaction": interaction, "section": "tickets"},
    )


@login_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user: Any = request.user
    ticket = access_ticket(user, ticket_id)
    calendar = business_calendar(user.tenant)
    return render(
        request,
        "tickets/detail.html",
        {
            "section": "tickets",
            "ticket": ticket,
            "seconds_left": clock.business_seconds_left(ticket, calendar, timezone.now()),
            "next_statuses": [(s, Status(s).label) for s in allowed_next(ticket.status)],
            "comments": ticket.comments.select_related("author"),
            "interactions": ticket.interactions.all(),
            "comment_form": CommentForm(),
            "assign_form": AssignForm(
                user, initial={"assignee": ticket.assignee_id, "team": ticket.team_id}
            ),
            "alerts": ticket.sla_alerts.select_related("recipient"),
        },
    )


@login_required
@require_POST
def ticket_status(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    try:
        actions.do_change_ticket_status(
            ticket=ticket, actor=request.user, status=request.POST.get("status", "")
        )
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("tickets:detail", ticket.pk)


@login_required
@require_POST
def ticket_comment(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        actions.do_add_ticket_comment(
            ticket=ticket,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
        )
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    return redirect("tickets:detail", ticket.pk)


@login_required
@require_POST
def ticket_assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user: Any = request.user
    ticket = access_ticket(user, ticket_id)
    form = AssignForm(user, request.POST)
    if form.is_valid():
        actions.do_assign_ticket(
            ticket=ticket,
            actor=user,
            assignee=form.cleaned_data["assignee"],
            team=form.cleaned_data["team"],
        )
    return redirect("tickets:detail", ticket.pk)
