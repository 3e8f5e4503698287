"""``{% call_controls %}``: the desk's buttons for the agent's own phone call (hold, resume,
mute, keypad, hang up) and click-to-call by the customer's phone numbers, for agents of a
tenant. The scripts add them to the shown conversation when it is a connected call and to the
customer 360 card; transfers use the desk's own transfer form (routing commands)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pasokh.tenancy.models import Role
from pasokh.voice.panels import panel, tenant_user

register = template.Library()


def call_strings() -> dict[str, str]:
    return {
        "call": _("Call"),
        "hold": _("Hold"),
        "resume": _("Resume"),
        "onHold": _("On hold: the customer hears music"),
        "hangUp": _("Hang up"),
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "muted": _("Muted: the customer does not hear you"),
        "keypad": _("Keypad"),
        "sendDigit": _("Send the digit"),
        "forwardTo": _("Transfer to a number"),
        "forward": _("Transfer"),
        "forwardRinging": _("Calling the number; the customer hears music…"),
        "forwarded": _("Transferred: the call is with the number now."),
        "dial": _("Call"),
        "dialRinging": _("Your phone is ringing: answer it to call."),
    }


@register.inclusion_tag("voice/call_controls.html", takes_context=True)
def call_controls(context: dict[str, Any]) -> dict[str, Any]:
    user = tenant_user(context.get("request"))
    can_dial = user is not None and getattr(user, "role", "") == Role.AGENT  # click-to-call
    return panel(user is not None, call_strings, can_dial=can_dial)
