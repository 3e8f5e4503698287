"""Writes to the web chat configuration (the only write path for this app's tables)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from pasokh.router.models import Queue
from pasokh.tenancy.models import Tenant
from pasokh.webchat.models import DEFAULT_MAX_ATTACHMENT_BYTES, ChatWidget, EntryPoint


def normalize_origin(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


@transaction.atomic
def do_configure_chat_widget(
    *,
    tenant: Tenant,
    allowed_origins: Iterable[str] = (),
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
    is_enabled: bool = True,
) -> ChatWidget:
    widget, _ = ChatWidget.objects.update_or_create(
        tenant=tenant,
        defaults={
            "allowed_origins": sorted({normalize_origin(o) for o in allowed_origins if o}),
            "max_attachment_bytes": max_attachment_bytes,
            "is_enabled": is_enabled,
        },
    )
    return widget


@transaction.atomic
def do_create_entry_point(
    *, tenant: Tenant, code: str, name: str, name_en: str, queue: Queue, position: int = 0
) -> EntryPoint:
    return EntryPoint.objects.create(
        tenant=tenant, code=code, name=name, name_en=name_en, queue=queue, position=position
    )
