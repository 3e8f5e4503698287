"""The desk's endpoints for a three-way call (``conference.py``): the agent's own live call
only; signed in, the POSTs CSRF-protected, refusals 409 with a translated reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pasokh.voice import conference
from pasokh.voice.endpoints import refuses_calls, signed_in_user


@never_cache
@require_GET
@login_required
@refuses_calls
def conference_state(request: HttpRequest, interaction_id: int) -> JsonResponse:
    return JsonResponse(conference.state(signed_in_user(request), interaction_id))


@never_cache
@require_POST
@login_required
@refuses_calls
def conference_control(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    """``add`` (with ``number``) dials a third party into the call; ``leave`` lets the other
    two go on without the agent; ``end`` drops the third party."""
    user = signed_in_user(request)
    if verb == "add":
        number = conference.do_add_party(user, interaction_id, request.POST.get("number", ""))
        return JsonResponse({"ok": True, "conference": "ringing", "number": number})
    if verb == "leave":
        conference.do_leave(user, interaction_id)
    elif verb == "end":
        conference.do_end(user, interaction_id)
    else:
        raise Http404("no such conference request")
    return JsonResponse({"ok": True, "conference": ""})
