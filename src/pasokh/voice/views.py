"""The desk's softphone asks here for its own SIP login (a short-lived token, never the
phone password): only the signed-in user's own active SIP account is ever answered."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pasokh.tenancy.models import User
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
