"""Chokepoints of the voice app: call recordings.

A recording is a customer's voice: supervisors and admins hear their tenant's; an agent only
those of the calls they answered themselves (the interaction is theirs, or one of their
phones was a leg of the call, as in a warm transfer).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404

from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Role
from pasokh.voice.models import Call, CallLeg


def recordings_visible_to(user: Any) -> models.QuerySet[Call]:
    calls = visible_to(user, Call).exclude(recording="")
    if getattr(user, "role", None) in (Role.ADMIN, Role.SUPERVISOR):
        return calls
    own_legs = CallLeg.objects.filter(side=CallLeg.Side.AGENT, agent=user).values("call_id")
    return calls.filter(models.Q(interaction__agent=user) | models.Q(pk__in=own_legs))


def access_recording(user: Any, call_id: object) -> Call:
    """A call with a recording this user may hear, or 404 (also for another tenant's)."""
    try:
        return recordings_visible_to(user).get(pk=call_id)
    except (Call.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No recording with this id") from error
