"""The desk page (/desk/) and the supervisor's live view (/desk/live/): shells for the JS."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pasokh.desk.strings import DESK_STRINGS
from pasokh.tenancy.access import require_role
from pasokh.tenancy.models import Role


def _strings() -> dict[str, str]:
    return {key: str(text) for key, text in DESK_STRINGS.items()}


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
    return render(
        request,
        "desk/desk.html",
        {"strings": _strings(), "scripts": apps.is_installed("pasokh.knowledge")},
    )


@login_required
def live_view(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.SUPERVISOR, Role.ADMIN)
    return render(request, "desk/live.html", {"strings": _strings()})
