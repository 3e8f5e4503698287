"""The endpoints for recordings: an agent starts and stops the recording of their own call
(on-demand policy) and sees whether it is recorded (the REC indicator); anyone allowed hears
a stored recording (``access_recording``). Signed-in; the POSTs are CSRF-protected."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pasokh.audit.actions import record
from pasokh.voice import ondemand
from pasokh.voice.access import access_recording
from pasokh.voice.endpoints import refuses_calls, signed_in_user
from pasokh.web.ranges import ranged_file_response


@never_cache
@require_GET
@login_required
@refuses_calls
def recording_state(request: HttpRequest, interaction_id: int) -> JsonResponse:
    """The REC indicator of the agent's own live call: the tenant's policy, recording now."""
    return JsonResponse(ondemand.recording_state(signed_in_user(request), interaction_id))


RECORDING_REQUESTS = {"start": ondemand.do_start_recording, "stop": ondemand.do_stop_recording}


@never_cache
@require_POST
@login_required
@refuses_calls
def recording_control(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    request_recording = RECORDING_REQUESTS.get(verb)
    if request_recording is None:
        raise Http404("no such recording request")
    request_recording(signed_in_user(request), interaction_id)
    return JsonResponse({"ok": True, "recording": verb == "start"})


@never_cache
@require_GET
@login_required
def recording_file(request: HttpRequest, call_id: int) -> HttpResponseBase:
    """The WAV of a call, for the customer's timeline (an <audio> element plays it)."""
    user = signed_in_user(request)
    call = access_recording(user, call_id)
    try:
        audio = call.recording.open("rb")
    except FileNotFoundError as error:
        raise Http404("the recording's file is gone") from error
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        # One entry per listening, not one per range request of the same player.
        record(
            action="voice.recording_played",
            tenant=user.tenant,
            actor=user,
            request=request,
            object_type="voice.call",
            object_id=str(call.pk),
            object_repr=str(call),
        )
    return ranged_file_response(request, audio, audio.size, "audio/wav", f"call-{call.pk}.wav")
