"""The REST API (django-ninja, OpenAPI at /api/docs): one router per app, mounted here.

Callers authenticate with their browser session (CSRF-protected) or with an API key in
``Authorization: Bearer psk_…``; either way ``request.auth`` is a tenant user and every
endpoint reads through the access chokepoints.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from pasokh.tenancy.api_keys import user_for_api_key


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token)
        if user is not None:
            request.user = user
        return user


class TenantSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and getattr(user, "tenant_id", None) else None


api = NinjaAPI(
    title="Pasokh API",
    version="1",
    description="Contacts, interactions, routing and more, scoped to the caller's tenant and role.",
    auth=[ApiKeyAuth(), TenantSessionAuth()],
    urls_namespace="api",
)

# Each app's api.py exposes `router`; add it here with its URL prefix.
API_ROUTERS = (
    ("pasokh.tenancy.api", "/tenancy/"),
    ("pasokh.tickets.api", "/tickets/"),
    ("pasokh.orders.api", "/orders/"),
    ("pasokh.knowledge.api", "/knowledge/"),
    ("pasokh.search.api", "/search/"),
    ("pasokh.contacts.api", "/contacts/"),
    ("pasokh.planning.api", "/planning/"),
)


def _mount() -> None:
    import importlib

    for module_name, prefix in API_ROUTERS:
        api.add_router(prefix, importlib.import_module(module_name).router)


_mount()
