"""``{% recording_controls %}``: the desk's REC indicator of the agent's live phone call and,
when the tenant records on demand, the button that starts and stops the recording
(``static/voice/recording.js``, endpoints in ``call_views.py``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from pasokh.voice.panels import panel, tenant_user

register = template.Library()


def recording_strings() -> dict[str, str]:
    return {
        "title": _("Recording"),
        "rec": _("REC"),
        "recorded": _("This call is being recorded"),
        "record": _("Record"),
        "stop": _("Stop recording"),
        "off": _("Not recorded"),
    }


@register.inclusion_tag("voice/recording_controls.html", takes_context=True)
def recording_controls(context: dict[str, Any]) -> dict[str, Any]:
    return panel(tenant_user(context.get("request")) is not None, recording_strings)
