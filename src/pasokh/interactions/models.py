"""Interactions: every contact with a customer, on any channel, on one timeline."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.contacts.models import Contact
from pasokh.router.models import Channel, Queue
from pasokh.tenancy.models import TenantOwned


class DispositionCode(TenantOwned):
    """How an interaction ended, chosen by the agent (sold, resolved, call back later …)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("disposition code")
        verbose_name_plural = _("disposition codes")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "code"], name="disposition_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name


class Interaction(TenantOwned):
    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        ACTIVE = "active", _("In progress")
        WRAP_UP = "wrap_up", _("Wrap-up")
        ENDED = "ended", _("Ended")
        ABANDONED = "abandoned", _("Abandoned")

    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="interactions"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, default=Direction.INBOUND
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("queue")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("agent"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    disposition = models.ForeignKey(
        DispositionCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("disposition"),
    )
    arrived_at = models.DateTimeField(_("arrived at"), db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    csat_comment = models.TextField(_("customer's comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ("-arrived_at",)
        indexes: ClassVar = [
            models.Index(fields=["tenant", "contact", "-arrived_at"], name="interaction_timeline"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(csat__isnull=True) | models.Q(csat__gte=1, csat__lte=5),
                name="csat_between_1_and_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"

    @property
    def wait_seconds(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.arrived_at).total_seconds()


class Note(TenantOwned):
    """A private note an agent writes on an interaction; customers never see it."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        TRANSFER = "transfer", _("Transfer note")

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    body = models.TextField(_("note"), max_length=5000)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NOTE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(TenantOwned):
    """A file sent in a conversation. Stored under MEDIA_ROOT with a random name; its type was
    checked by its content (magic bytes), never by the name or the browser's claim."""

    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="attachments"
    )
    path = models.CharField(_("stored file"), max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return self.original_name


class Message(TenantOwned):
    """One chat message of an interaction, with its delivery state (sent → delivered → read)."""

    class Sender(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")
        SYSTEM = "system", _("System")

    MAX_LENGTH = 2000

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("sender"), max_length=16, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    body = models.TextField(_("message"), max_length=MAX_LENGTH, blank=True)
    attachment = models.ForeignKey(
        Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("id",)
        indexes: ClassVar = [
            models.Index(fields=["interaction", "id"], name="message_conversation"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def delivery(self) -> str:
        if self.read_at is not None:
            return "read"
        if self.delivered_at is not None:
            return "delivered"
        return "sent"
