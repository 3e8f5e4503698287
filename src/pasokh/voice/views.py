"""The desk's voice endpoints: the softphone asks here for its own SIP login (a short-lived
token, never the phone password: only the signed-in user's own active SIP account is ever
answered), and the call buttons ask to hold or resume the agent's own call."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pasokh.tenancy.models import User
from pasokh.voice.controls import (
    CallControlError,
    call_on_hold,
    do_hold_call,
    do_resume_call,
)
from pasokh.voice.models import SipAccount
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
    user = request.user
    assert isinstance(user, User)  # login_required
    account = own_sip_account(user)
    if account is None:
        raise Http404("no softphone for this user")
    name = user.get_full_name() or user.get_username()
    return JsonResponse(asdict(softphone_login(account, name)))


CALL_REQUESTS = {"hold": do_hold_call, "resume": do_resume_call}


@never_cache
@require_POST
@login_required
def call_control(request: HttpRequest, interaction_id: int, verb: str) -> JsonResponse:
    """Hold or resume the signed-in agent's own connected call (the desk's call buttons)."""
    user = request.user
    assert isinstance(user, User)  # login_required
    request_call = CALL_REQUESTS.get(verb)
    if request_call is None:
        raise Http404("no such call request")
    try:
        request_call(user, interaction_id)
    except CallControlError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse({"ok": True, "on_hold": verb == "hold"})


@never_cache
@require_GET
@login_required
def call_state(request: HttpRequest, interaction_id: int) -> JsonResponse:
    """Whether the agent's own live call is on hold: the button's state after a reload."""
    user = request.user
    assert isinstance(user, User)  # login_required
    try:
        return JsonResponse({"on_hold": call_on_hold(user, interaction_id)})
    except CallControlError as error:
        return JsonResponse({"error": str(error)}, status=409)
