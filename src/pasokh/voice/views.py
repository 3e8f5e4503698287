"""The desk's voice endpoints: the softphone asks here for its own SIP login (a short-lived
token, never the phone password: only the signed-in user's own active SIP account is ever
answered), and the call buttons ask to hold, resume, mute or unmute the agent's own call or
to send it digits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pasokh.tenancy.models import User
from pasokh.voice.controls import call_state as live_call_state
from pasokh.voice.controls import (
    do_hold_call,
    do_mute_call,
    do_resume_call,
    do_send_digits,
    do_transfer_to_number,
    do_unmute_call,
)
from pasokh.voice.endpoints import refuses_calls, signed_in_user
from pasokh.voice.models import SipAccount
from pasokh.voice.outbound import do_click_to_call, outbound_progress
from pasokh.voice.softphone import softphone_login


def own_sip_account(user: object) -> SipAccount | None:
    tenant_id = getattr(user, "tenant_id", None)
    if tenant_id is None or not settings.PASOKH_SOFTPHONE_URL:
        return None
    return SipAccount.objects.filter(user=user, tenant_id=tenant_id, is_active=True).first()


@never_cache
@require_POST
@login_required
def softphone(request: HttpRequest) -> JsonResponse:
    user = signed_in_user(request)
    account = own_sip_account(user)
    if account is None:
        raise Http404("no softphone for this user")
    name = user.get_full_name() or user.get_username()
    return JsonResponse(asdict(softphone_login(account, name)))


# Each request of the desk's call buttons, and the state it leaves the button in.
CALL_REQUESTS: dict[str, tuple[Callable[[User, object], None], dict[str, bool]]] = {
    "hold": (do_hold_call, {"on_hold": True}),
    "resume": (do_resume_call, {"on_hold": False}),
    "mute": (do_mute_call, {"muted": True}),
    "unmute": (do_unmute_call, {"muted": False}),
}


@never_cache
@require_POST
@login_required
@refuses_calls
def call_control(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    """Hold, resume, mute, unmute, send digits (``digits`` in the form) or transfer to a
    number (``forward``, ``number`` in the form) on the signed-in agent's own connected call
    (the desk's call buttons)."""
    user = signed_in_user(request)
    if verb == "digits":
        sent = do_send_digits(user, interaction_id, request.POST.get("digits", ""))
        return JsonResponse({"ok": True, "digits": sent})
    if verb == "forward":
        number = do_transfer_to_number(user, interaction_id, request.POST.get("number", ""))
        return JsonResponse({"ok": True, "transfer": "ringing", "number": number})
    request_call, state = CALL_REQUESTS.get(verb) or (None, {})
    if request_call is None:
        raise Http404("no such call request")
    request_call(user, interaction_id)
    return JsonResponse({"ok": True, **state})


@never_cache
@require_GET
@login_required
@refuses_calls
def call_state(request: HttpRequest, interaction_id: int) -> JsonResponse:
    """Whether the agent's own live call is on hold or muted: the buttons after a reload."""
    return JsonResponse(live_call_state(signed_in_user(request), interaction_id))


@never_cache
@require_POST
@login_required
@refuses_calls
def dial(request: HttpRequest) -> JsonResponse:
    """Click-to-call: ring the signed-in agent's phone, then the customer (``number``)."""
    interaction = do_click_to_call(signed_in_user(request), request.POST.get("number", ""))
    return JsonResponse({"ok": True, "interaction_id": interaction.pk})


@never_cache
@require_GET
@login_required
@refuses_calls
def dial_progress(request: HttpRequest, interaction_id: int) -> JsonResponse:
    """Where the agent's own outbound call is: ringing their phone, calling the customer,
    connected, or ended (and why)."""
    return JsonResponse(outbound_progress(signed_in_user(request), interaction_id))
