"""Routing configuration: skills, queues, routing profiles, agent profiles, reason codes.

These rows are what the routing core is built from. The router service's runtime tables
(queue entries, offers, presence) live beside them in this app; no other app's models are
imported here.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.tenancy.models import TenantOwned

DEFAULT_CAPACITY = {"voice": 1, "chat": 3, "email": 5, "messaging": 5}


class Channel(models.TextChoices):
    VOICE = "voice", _("Voice")
    CHAT = "chat", _("Web chat")
    EMAIL = "email", _("Email")
    MESSAGING = "messaging", _("Messaging")


class Skill(TenantOwned):
    class Kind(models.TextChoices):
        LANGUAGE = "language", _("Language")
        PRODUCT = "product", _("Product")
        DOMAIN = "domain", _("Domain knowledge")

    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("The name used in routing expressions, e.g. fa or sales."),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PRODUCT)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ("kind", "code")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "code"], name="skill_code_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name


def _validate_expression(text: str) -> None:
    from pasokh.routing.expressions import ExpressionError, parse

    try:
        parse(text)
    except ExpressionError as error:
        raise ValidationError(str(error)) from error


class Queue(TenantOwned):
    class Strategy(models.TextChoices):
        LONGEST_IDLE = "longest_idle", _("Longest idle agent")
        LEAST_OCCUPIED = "least_occupied", _("Least occupied agent")
        ROUND_ROBIN = "round_robin", _("Round robin")
        HIGHEST_PROFICIENCY = "highest_proficiency", _("Highest proficiency")

    class MaxWaitAction(models.TextChoices):
        NONE = "none", _("Keep waiting")
        VOICEMAIL = "voicemail", _("Voicemail")
        CALLBACK = "callback", _("Offer a callback")
        TICKET = "ticket", _("Create a ticket")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    channels = models.JSONField(
        _("channels"), default=list, help_text=_("voice, chat, email, messaging")
    )
    target_expression = models.CharField(
        _("target expression"),
        max_length=500,
        default="true",
        validators=[_validate_expression],
        help_text=_("Which agents may serve this queue, e.g. fa >= 4 and sales >= 2"),
    )
    steps = models.JSONField(
        _("relaxation steps"),
        default=list,
        blank=True,
        help_text=_(
            'e.g. [{"after_s": 30, "expression": "fa >= 2"}, '
            '{"after_s": 90, "overflow_to": "billing"}]'
        ),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=5, validators=[MaxValueValidator(10)]
    )
    strategy = models.CharField(
        _("strategy"), max_length=24, choices=Strategy.choices, default=Strategy.LONGEST_IDLE
    )
    service_level_percent = models.PositiveSmallIntegerField(
        _("service level target (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    service_level_seconds = models.PositiveIntegerField(
        _("service level threshold (s)"), default=20
    )
    wrapup_seconds = models.PositiveIntegerField(_("wrap-up time (s)"), default=30)
    offer_timeout_seconds = models.PositiveIntegerField(_("offer timeout (s)"), default=20)
    max_wait_seconds = models.PositiveIntegerField(_("maximum wait (s)"), null=True, blank=True)
    max_wait_action = models.CharField(
        _("action at maximum wait"),
        max_length=16,
        choices=MaxWaitAction.choices,
        default=MaxWaitAction.NONE,
    )
    route_outside_hours = models.BooleanField(_("route outside business hours"), default=False)
    sticky_seconds = models.PositiveIntegerField(
        _("preferred agent wait (s)"),
        default=10,
        help_text=_(
            "How long a returning customer waits for their last agent before anyone may answer."
        ),
    )
    disposition_required = models.BooleanField(_("disposition required"), default=False)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ("-priority", "name")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "code"], name="queue_code_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.channels) - set(Channel.values)
        if unknown or not self.channels:
            raise ValidationError(
                {"channels": _("Choose one or more of: voice, chat, email, messaging.")}
            )
        for step in self.steps:
            if "expression" in step:
                _validate_expression(step["expression"])
            if "overflow_to" in step:
                self._validate_overflow(str(step["overflow_to"]))

    def _validate_overflow(self, code: str) -> None:
        target = Queue.objects.filter(tenant_id=self.tenant_id, code=code).first()
        if target is None or code == self.code:
            message = _("Overflow to %(code)s: no other queue has that code.")
            raise ValidationError({"steps": ValidationError(message % {"code": code}, "unknown")})
        if not set(target.channels) & set(self.channels):
            message = _("Overflow to %(code)s: that queue takes none of these channels.")
            raise ValidationError({"steps": ValidationError(message % {"code": code}, "channels")})


class RoutingProfile(TenantOwned):
    """The queues a group of agents serves, each with a priority (higher first)."""

    name = models.CharField(_("name"), max_length=120)
    queues = models.ManyToManyField(Queue, through="RoutingProfileQueue", verbose_name=_("queues"))

    class Meta:
        verbose_name = _("routing profile")
        verbose_name_plural = _("routing profiles")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "name"], name="profile_name_unique_per_tenant"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoutingProfileQueue(TenantOwned):
    profile = models.ForeignKey(RoutingProfile, on_delete=models.CASCADE, related_name="entries")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, verbose_name=_("queue"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)

    class Meta:
        verbose_name = _("queue in profile")
        verbose_name_plural = _("queues in profile")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["profile", "queue"], name="profile_queue_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile} → {self.queue}"


class AgentProfile(TenantOwned):
    """What routing needs to know about an agent beyond their user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent_profile",
        verbose_name=_("agent"),
    )
    routing_profile = models.ForeignKey(
        RoutingProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("routing profile"),
    )
    capacity = models.JSONField(_("capacity per channel"), default=dict, blank=True)
    extension = models.CharField(_("phone extension"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return str(self.user)

    def capacity_for(self, channel: str) -> int:
        return int(self.capacity.get(channel, DEFAULT_CAPACITY.get(channel, 1)))


class AgentSkill(TenantOwned):
    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, verbose_name=_("skill"))
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(0), MaxValueValidator(10)], default=5
    )

    class Meta:
        verbose_name = _("agent skill")
        verbose_name_plural = _("agent skills")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agent", "skill"], name="agent_skill_once"),
            models.CheckConstraint(
                condition=models.Q(level__lte=10), name="skill_level_at_most_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill.code}={self.level}"


class ReasonCode(TenantOwned):
    """Why an agent is not ready (break, lunch, training, meeting …)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_break = models.BooleanField(_("counts as a break"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "code"], name="reason_code_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name


from pasokh.router.runtime_models import (  # noqa: E402 - runtime tables live beside the config
    AgentPresence,
    QueueEntry,
    RouterCommand,
    RouterState,
    RoutingEvent,
    RoutingOffer,
)

__all__ = [
    "AgentPresence",
    "AgentProfile",
    "AgentSkill",
    "Queue",
    "QueueEntry",
    "ReasonCode",
    "RouterCommand",
    "RouterState",
    "RoutingEvent",
    "RoutingOffer",
    "RoutingProfile",
    "RoutingProfileQueue",
    "Skill",
]
