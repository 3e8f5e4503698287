"""``{% softphone_panel %}``: the desk's browser softphone, for users with a SIP account when
the voice service takes WebSocket connections."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pasokh.voice.panels import panel, signed_in
from pasokh.voice.views import own_sip_account

register = template.Library()


def softphone_strings() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "registered": _("Ready for calls"),
        "unregistered": _("Not connected"),
        "failed": _("The softphone could not sign in"),
        "ringing": _("Incoming call"),
        "calling": _("Calling…"),
        "inCall": _("In call"),
        "ended": _("Call ended"),
        "muted": _("Muted"),
        "noMicrophone": _("No microphone: allow the browser to use it"),
    }


@register.inclusion_tag("voice/softphone.html", takes_context=True)
def softphone_panel(context: dict[str, Any]) -> dict[str, Any]:
    user = signed_in(context.get("request"))
    return panel(user is not None and own_sip_account(user) is not None, softphone_strings)
