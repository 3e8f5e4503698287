"""``{% conference_controls %}``: the desk's three-way call form for the agent's own phone call
(``conference.py``, ``static/voice/conference.js``), inside ``{% call_controls %}``. Agents
only."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pasokh.tenancy.models import Role
from pasokh.voice.panels import panel, tenant_user

register = template.Library()


def conference_strings() -> dict[str, str]:
    return {
        "title": _("Add someone to the call"),
        "add": _("Add"),
        "ringing": _("Calling the number; the customer still hears you…"),
        "on": _("Three-way call: all three of you hear each other."),
        "leave": _("Leave them talking"),
        "end": _("End the three-way call"),
        "left": _("You left the call; the other two are still talking."),
        "over": _("The third party is no longer on the call."),
    }


@register.inclusion_tag("voice/conference_controls.html", takes_context=True)
def conference_controls(context: Any) -> dict[str, Any]:
    # Inside ``{% call_controls %}``'s own context: the request is the context's attribute.
    user = tenant_user(getattr(context, "request", None) or context.get("request"))
    return panel(user is not None and getattr(user, "role", "") == Role.AGENT, conference_strings)
