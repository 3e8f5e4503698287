"""Tickets (cases): complaints, requests and problems that outlive one interaction.

A ticket carries a reference the customer can quote, follows a fixed status workflow and
runs two SLA clocks (first response, resolution) on the tenant's business calendar.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.tenancy.models import Team, TenantOwned


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class TicketType(TenantOwned):
    """A kind of case the tenant handles (complaint, criticism, request, technical issue …)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "code"], name="ticket_type_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class SlaPolicy(TenantOwned):
    """Targets for one ticket type and priority, in business minutes.

    A policy without a type applies to every type of that priority that has none of its own.
    """

    ticket_type = models.ForeignKey(
        TicketType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("ticket type"),
    )
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution (business minutes)"))
    warn_percent = models.PositiveSmallIntegerField(_("warn at (% of the time used)"), default=80)
    escalate_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalate to"),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ("ticket_type", "priority")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "ticket_type", "priority"], name="sla_policy_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(warn_percent__gte=1, warn_percent__lte=99),
                name="sla_warn_percent_between_1_and_99",
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__gt=0, resolution_minutes__gt=0),
                name="sla_targets_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_type or '*'} / {self.get_priority_display()}"


class TicketSequence(TenantOwned):
    """The last reference number handed out in one Jalali year (row-locked while counting)."""

    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("ticket number sequence")
        verbose_name_plural = _("ticket number sequences")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "year"], name="ticket_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(TenantOwned):
    reference = models.CharField(_("reference"), max_length=24, editable=False)
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("type")
    )
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="new")
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("contact"),
    )
    interactions = models.ManyToManyField(
        Interaction, blank=True, related_name="tickets", verbose_name=_("interactions")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("team")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The SLA clocks. Targets are copied from the policy so a later policy edit does not
    # move the goalposts of tickets already promised.
    sla_policy = models.ForeignKey(
        SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("SLA policy")
    )
    resolution_target_seconds = models.PositiveIntegerField(null=True, blank=True)
    warn_percent = models.PositiveSmallIntegerField(default=80)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("SLA paused at"), null=True, blank=True)
    paused_remaining_seconds = models.FloatField(null=True, blank=True)
    first_response_warned = models.BooleanField(default=False)
    first_response_breached = models.BooleanField(_("first response breached"), default=False)
    resolution_warned = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(_("resolution breached"), default=False)
    escalated = models.BooleanField(_("escalated"), default=False)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_tickets",
        verbose_name=_("escalated to"),
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ("-created_at",)
        indexes: ClassVar = [
            models.Index(fields=["tenant", "status", "resolution_due_at"], name="ticket_sla_scan"),
            models.Index(fields=["tenant", "contact", "-created_at"], name="ticket_timeline"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "reference"], name="ticket_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class TicketComment(TenantOwned):
    """An internal comment (colleagues only) or a reply that goes to the customer."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal comment")
        REPLY = "reply", _("Reply to the customer")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    body = models.TextField(_("text"), max_length=10000)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("ticket comment")
        verbose_name_plural = _("ticket comments")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.body[:60]


class SlaAlert(TenantOwned):
    """One warning or breach of one ticket's SLA clock, sent to the person who must act.

    The unique constraint makes the periodic check idempotent: an alert exists once.
    """

    class Kind(models.TextChoices):
        FIRST_RESPONSE_WARNING = "first_response_warning", _("First response due soon")
        FIRST_RESPONSE_BREACH = "first_response_breach", _("First response overdue")
        RESOLUTION_WARNING = "resolution_warning", _("Resolution due soon")
        RESOLUTION_BREACH = "resolution_breach", _("Resolution overdue")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_alerts")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sla_alerts",
        verbose_name=_("recipient"),
    )
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA alert")
        verbose_name_plural = _("SLA alerts")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="sla_alert_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.ticket.reference}: {self.get_kind_display()}"
