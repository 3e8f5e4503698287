"""What every page of the shell needs: direction, calendar and the signed-in user's tenant."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

CASEWORK_APPS = ("tickets", "orders", "knowledge")  # the pages under the "Casework" link


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    tenant = getattr(user, "tenant", None) if user is not None and user.is_authenticated else None
    return {
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "current_tenant": tenant,
        "other_language": "en" if translation.get_language() == "fa" else "fa",
        "casework_apps": CASEWORK_APPS,
    }
