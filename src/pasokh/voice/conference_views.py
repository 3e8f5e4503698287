"""The desk's endpoints for a three-way call (``conference.py``): the agent's own live call
only; signed in, the POSTs CSRF-protected, refusals 409 with a translated reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pasokh.tenancy.models import User
from pasokh.voice import conference
from pasokh.voice.controls import CallControlError


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@never_cache
@require_GET
@login_required
def conference_state(request: HttpRequest, interaction_id: int) -> JsonResponse:
    try:
        return JsonResponse(conference.state(_user(request), interaction_id))
    except CallControlError as error:
        return JsonResponse({"error": str(error)}, status=409)


@never_cache
@require_POST
@login_required
def conference_control(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    """``add`` (with ``number``) dials a third party into the call; ``leave`` lets the other
    two go on without the agent; ``end`` drops the third party."""
    user = _user(request)
    try:
        if verb == "add":
            number = conference.do_add_party(user, interaction_id, request.POST.get("number", ""))
            return JsonResponse({"ok": True, "conference": "ringing", "number": number})
        if verb == "leave":
            conference.do_leave(user, interaction_id)
        elif verb == "end":
            conference.do_end(user, interaction_id)
        else:
            raise Http404("no such conference request")
    except CallControlError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse({"ok": True, "conference": ""})
