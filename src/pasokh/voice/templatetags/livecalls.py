"""``{% live_calls %}``: the supervisor live view's list of the tenant's phone calls on the
line, each with a Listen button that rings the supervisor's SIP phone (``supervision.py``,
``static/voice/livecalls.js``), and Join the call / Whisper to the agent (``barge.py``). Shown
to supervisors and admins only."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pasokh.voice.panels import panel, tenant_user
from pasokh.voice.supervision import SUPERVISING_ROLES

register = template.Library()


def live_call_strings() -> dict[str, str]:
    return {
        "listen": _("Listen"),
        "stop": _("Stop listening"),
        "listening": _("Your phone is listening in: neither side hears you."),
        "ringing": _("Your phone rings: answer it to listen."),
        "none": _("No calls on the line."),
        "onHold": _("On hold"),
        "barge": _("Join the call"),
        "whisper": _("Whisper to the agent"),
        "leave": _("Leave the call"),
        "barging": _("You are on the call: the customer and the agent hear you."),
        "whispering": _("You are whispering: only the agent hears you."),
        "joinRinging": _("Your phone rings: answer it to join the call."),
    }


@register.inclusion_tag("voice/live_calls.html", takes_context=True)
def live_calls(context: dict[str, Any]) -> dict[str, Any]:
    user = tenant_user(context.get("request"))
    return panel(user is not None and user.role in SUPERVISING_ROLES, live_call_strings)
