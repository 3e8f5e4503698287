"""The voice channel of a tenant: trunks, numbers, IVR menus, agents' SIP accounts, the policy
for recordings, and the record of every call and of each of its legs.

A call's state lives here, not only in the voice service's memory: when the service restarts it
ends every call it finds unfinished (``actions.do_end_orphaned_calls``), so nothing is lost.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.interactions.models import Interaction
from pasokh.router.models import Queue
from pasokh.tenancy.models import TenantOwned


class VoicePolicy(TenantOwned):
    """One per tenant: recordings, their retention, the caller ID of outbound calls."""

    class Recording(models.TextChoices):
        ALL = "all", _("Every call")
        NONE = "none", _("No calls")
        ON_DEMAND = "on_demand", _("When the agent asks")

    recording = models.CharField(
        _("recording"), max_length=16, choices=Recording.choices, default=Recording.ALL
    )
    retention_days = models.PositiveIntegerField(_("keep recordings (days)"), default=90)
    caller_id = models.CharField(_("caller ID for outbound calls"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("voice policy")
        verbose_name_plural = _("voice policies")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant"], name="one_voice_policy_per_tenant")
        ]

    def __str__(self) -> str:
        return str(self.tenant)


class SipTrunk(TenantOwned):
    """A carrier's SIP connection delivering the tenant's numbers."""

    name = models.CharField(_("name"), max_length=120)
    host = models.CharField(_("host"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=5060)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SIP trunk")
        verbose_name_plural = _("SIP trunks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class IvrMenu(TenantOwned):
    """A spoken menu: a prompt, then the caller presses a digit (RFC 4733)."""

    name = models.CharField(_("name"), max_length=120)
    prompt_text = models.TextField(
        _("prompt text"),
        blank=True,
        help_text=_("Spoken by the speech synthesizer when no audio file is uploaded."),
    )
    prompt_file = models.FileField(_("prompt audio"), upload_to="voice/prompts/", blank=True)
    language = models.CharField(_("language"), max_length=8, default="fa")
    timeout_s = models.PositiveSmallIntegerField(_("seconds to wait for a digit"), default=6)
    max_attempts = models.PositiveSmallIntegerField(_("attempts"), default=3)
    closed_text = models.TextField(_("closed message"), blank=True)
    voicemail_queue = models.ForeignKey(
        Queue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queue for voicemail"),
    )

    class Meta:
        verbose_name = _("IVR menu")
        verbose_name_plural = _("IVR menus")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class IvrChoice(TenantOwned):
    class Action(models.TextChoices):
        QUEUE = "queue", _("Wait in a queue")
        MENU = "menu", _("Go to another menu")
        VOICEMAIL = "voicemail", _("Leave a voicemail")

    menu = models.ForeignKey(IvrMenu, on_delete=models.CASCADE, related_name="choices")
    digit = models.CharField(_("digit"), max_length=1)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("queue")
    )
    submenu = models.ForeignKey(
        IvrMenu,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("menu"),
    )

    class Meta:
        verbose_name = _("IVR choice")
        verbose_name_plural = _("IVR choices")
        ordering = ("digit",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["menu", "digit"], name="ivr_choice_unique_digit")
        ]

    def __str__(self) -> str:
        return f"{self.digit} → {self.get_action_display()}"


class PhoneNumber(TenantOwned):
    """A number (DID) customers dial, and the menu that answers it."""

    number = models.CharField(_("number (E.164)"), max_length=20, unique=True)
    trunk = models.ForeignKey(
        SipTrunk, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("trunk")
    )
    menu = models.ForeignKey(IvrMenu, on_delete=models.PROTECT, verbose_name=_("IVR menu"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ("number",)

    def __str__(self) -> str:
        return self.number


class SipAccount(TenantOwned):
    """An agent's phone login. Only the digest hash HA1 = MD5(user:realm:password) is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sip_account",
        verbose_name=_("agent"),
    )
    username = models.CharField(_("SIP user name"), max_length=64)
    realm = models.CharField(_("realm"), max_length=120)
    ha1 = models.CharField(_("digest hash (HA1)"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SIP account")
        verbose_name_plural = _("SIP accounts")
        ordering = ("username",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["realm", "username"], name="sip_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.realm}"


class Call(TenantOwned):
    """One phone call as the customer lives it, from the first INVITE to the last BYE."""

    class State(models.TextChoices):
        IVR = "ivr", _("In the menu")
        QUEUED = "queued", _("Waiting")
        RINGING = "ringing", _("Ringing an agent")
        CONNECTED = "connected", _("Connected")
        ON_HOLD = "on_hold", _("On hold")
        VOICEMAIL = "voicemail", _("Leaving a voicemail")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        CUSTOMER_HANGUP = "customer_hangup", _("The customer hung up")
        AGENT_HANGUP = "agent_hangup", _("The agent hung up")
        CANCELLED = "cancelled", _("Cancelled before answer")
        NO_INPUT = "no_input", _("No choice made")
        CLOSED = "closed", _("Outside business hours")
        UNKNOWN_NUMBER = "unknown_number", _("Unknown number")
        SERVICE_RESTART = "service_restart", _("The voice service restarted")
        ROUTING_ENDED = "routing_ended", _("Ended by routing")
        MEDIA_FAILED = "media_failed", _("Media could not be set up")
        SERVICE_ERROR = "service_error", _("A fault in the voice service ended the call")
        CALLBACK = "callback", _("The caller asked to be called back")
        NOT_REACHED = "not_reached", _("The customer did not answer the callback")

    media_id = models.CharField(_("media session"), max_length=64, unique=True)
    number = models.ForeignKey(
        PhoneNumber, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("number")
    )
    caller = models.CharField(_("caller"), max_length=32, blank=True)
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("interaction"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.IVR)
    digits = models.CharField(_("digits pressed"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    recording = models.FileField(_("recording"), upload_to="voice/recordings/", blank=True)
    recording_seconds = models.FloatField(_("recording length (s)"), null=True, blank=True)
    media_stats = models.JSONField(_("media statistics"), default=dict, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ("-started_at",)
        indexes: ClassVar = [models.Index(fields=["state"], name="call_state")]

    def __str__(self) -> str:
        return f"{self.caller} {self.started_at:%Y-%m-%d %H:%M}"


class CallLeg(TenantOwned):
    """One SIP dialog of a call: the customer's, or the one towards an agent's phone."""

    class Side(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")

    class State(models.TextChoices):
        TRYING = "trying", _("Setting up")
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("Answered")
        ENDED = "ended", _("Ended")
        FAILED = "failed", _("Failed")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="legs")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    sip_call_id = models.CharField(_("SIP Call-ID"), max_length=255)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("agent"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.TRYING)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("SIP status"), null=True, blank=True)

    class Meta:
        verbose_name = _("call leg")
        verbose_name_plural = _("call legs")
        ordering = ("started_at",)

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.sip_call_id}"


class CallRequest(TenantOwned):
    """A desk's request about a live call held by a voice service in another process
    (``pasokh voice``): hold, resume, mute, unmute or digits. The voice process that has the
    call on the line does it and marks it done (``desk_requests.py``)."""

    class Verb(models.TextChoices):
        HOLD = "hold", _("Hold")
        RESUME = "resume", _("Resume")
        MUTE = "mute", _("Mute")
        UNMUTE = "unmute", _("Unmute")
        SEND_DIGITS = "send_digits", _("Send digits")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="requests")
    verb = models.CharField(_("request"), max_length=16, choices=Verb.choices)
    argument = models.CharField(_("argument"), max_length=32, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # The call's hold and mute after the request (the desk's buttons after a reload).
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("call request")
        verbose_name_plural = _("call requests")
        indexes: ClassVar = [models.Index(fields=["done_at"], name="call_request_pending")]

    def __str__(self) -> str:
        return f"{self.verb} {self.call_id}"
