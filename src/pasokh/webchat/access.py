"""The public chokepoints: a widget by its tenant's public key, a conversation by its token.

Customers have no account; the public key names the tenant and the signed token names one
conversation of that tenant. Nothing here returns rows of another tenant or conversation.
"""

from __future__ import annotations

from django.conf import settings

from pasokh.interactions.models import Interaction
from pasokh.tenancy.models import Tenant
from pasokh.webchat import tokens
from pasokh.webchat.actions import normalize_origin
from pasokh.webchat.models import ChatWidget


def widget_for_key(public_key: str | None) -> ChatWidget | None:
    if not public_key or len(public_key) > 64:
        return None
    return (
        ChatWidget.objects.select_related("tenant")
        .filter(tenant__public_key=public_key, tenant__is_active=True, is_enabled=True)
        .first()
    )


def widget_for_tenant(tenant: Tenant) -> ChatWidget | None:
    return ChatWidget.objects.filter(tenant=tenant, is_enabled=True).first()


def conversation_for_token(
    token: str | None, *, related: tuple[str, ...] = ("tenant", "agent", "queue")
) -> Interaction | None:
    claim = tokens.read(token)
    if claim is None:
        return None
    return (
        Interaction.objects.select_related(*related)
        .filter(tenant_id=claim.tenant_id, pk=claim.interaction_id, channel="chat")
        .first()
    )


def own_origins() -> set[str]:
    """Pasokh's own origin(s): its public URL and the hosts it serves."""
    origins = {normalize_origin(settings.PASOKH_PUBLIC_URL)}
    return {o for o in origins if o}


def origin_allowed(widget: ChatWidget | None, origin: str | None) -> bool:
    """A browser request from ``origin`` may use this tenant's widget endpoints."""
    if widget is None:
        return False
    if not origin:
        return True  # not a browser cross-origin request (server-to-server, same-origin GET)
    normalized = normalize_origin(origin)
    return normalized in own_origins() or normalized in widget.allowed_origins
