"""The live view's endpoints for listen-in: a supervisor lists the tenant's live phone calls
and has their SIP phone listen in on one (``supervision.py``). Signed-in; the POSTs are
CSRF-protected; agents get 403, other tenants' calls are not found."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pasokh.voice import barge, supervision
from pasokh.voice.endpoints import refuses_calls, refuses_non_supervisors, signed_in_user


@never_cache
@require_GET
@login_required
@refuses_non_supervisors
def live_calls(request: HttpRequest) -> JsonResponse:
    user = signed_in_user(request)
    calls = supervision.live_calls(user)
    joined = barge.states_for(user)
    for call in calls:
        call["join"] = joined.get(str(call["interaction"]))
    return JsonResponse({"calls": calls})


LISTEN_REQUESTS = {"start": supervision.do_listen_in, "stop": supervision.do_stop_listening}


@never_cache
@require_POST
@login_required
@refuses_non_supervisors
@refuses_calls
def listen(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    """A supervisor's phone listens in on a live call of their tenant (or stops)."""
    request_listen = LISTEN_REQUESTS.get(verb)
    if request_listen is None:
        raise Http404("no such listen request")
    request_listen(signed_in_user(request), interaction_id)
    return JsonResponse({"ok": True, "listening": verb == "start"})


@never_cache
@require_POST
@login_required
@refuses_non_supervisors
@refuses_calls
def join(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    """A supervisor's phone joins a live call of their tenant: ``barge`` (heard by the customer
    and the agent) or ``whisper`` (heard by the agent alone); ``stop`` leaves it."""
    if verb not in (*barge.MODES, "stop"):
        raise Http404("no such join request")
    if verb == "stop":
        barge.do_leave(signed_in_user(request), interaction_id)
    else:
        barge.do_join(signed_in_user(request), interaction_id, verb)
    return JsonResponse({"ok": True, "mode": "" if verb == "stop" else verb})
