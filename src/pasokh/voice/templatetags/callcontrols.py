"""``{% call_controls %}``: the desk's buttons for the agent's own phone call (hold, resume,
hang up), for agents of a tenant. The script adds them to the shown conversation when it is a
connected call; transfers use the desk's own transfer form (routing commands)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def call_strings() -> dict[str, str]:
    return {
        "call": _("Call"),
        "hold": _("Hold"),
        "resume": _("Resume"),
        "onHold": _("On hold: the customer hears music"),
        "hangUp": _("Hang up"),
    }


@register.inclusion_tag("voice/call_controls.html", takes_context=True)
def call_controls(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    enabled = bool(user is not None and user.is_authenticated and user.tenant_id is not None)
    return {"enabled": enabled, "strings": call_strings() if enabled else {}}
