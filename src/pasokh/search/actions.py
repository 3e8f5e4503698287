"""Keeping the search index in step with the apps that own the documents.

Other apps' actions call these right after they write (inside their transaction, so the
index row commits or rolls back with the data it describes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pasokh.persian.normalize import search_keys
from pasokh.persian.phone import PhoneNumberInvalid, phone_search_variants, try_normalize_phone
from pasokh.search.models import SearchDocument

TITLE_MAX = 300
BODY_MAX = 20_000


def build_search_key(title: str, text: str) -> str:
    spaced, joined = search_keys(f"{title} {text}")
    return spaced if spaced == joined else f"{spaced}\n{joined}"


def build_phone_key(phones: Iterable[str]) -> str:
    variants: list[str] = []
    for raw in phones:
        e164 = raw if raw.startswith("+") else try_normalize_phone(raw)
        if not e164:
            continue
        try:
            variants.extend(phone_search_variants(e164))
        except PhoneNumberInvalid:
            continue
    return " ".join(dict.fromkeys(v.lstrip("+") for v in variants))


def document_fields(
    *, title: str, text: str, phones: Iterable[str] = (), url: str = ""
) -> dict[str, Any]:
    title = title[:TITLE_MAX]
    text = text[:BODY_MAX]
    return {
        "title": title,
        "body": text,
        "search_key": build_search_key(title, text),
        "phones": build_phone_key(phones),
        "url": url[:300],
    }


def do_index_document(
    *,
    tenant: Any,
    kind: str,
    object_id: object,
    title: str,
    text: str = "",
    phones: Iterable[str] = (),
    url: str = "",
) -> SearchDocument:
    """Create or replace the searchable form of one object."""
    fields = document_fields(title=title, text=text, phones=phones, url=url)
    return store_document(tenant=tenant, kind=kind, object_id=object_id, fields=fields)


def store_document(
    *, tenant: Any, kind: str, object_id: object, fields: dict[str, Any], new: bool = False
) -> SearchDocument:
    """Write an object's ``document_fields``. ``new``: the object was created in this
    transaction, so it has no document yet — one insert, instead of a locked read first (a
    caller's first call creates its contact: this is on the phone's path)."""
    if new:
        return SearchDocument.objects.create(
            tenant=tenant, kind=kind, object_id=str(object_id), **fields
        )
    document, _created = SearchDocument.objects.update_or_create(
        tenant=tenant, kind=kind, object_id=str(object_id), defaults=fields
    )
    return document


def do_remove_document(tenant: Any, kind: str, object_id: object) -> None:
    SearchDocument.objects.filter(tenant=tenant, kind=kind, object_id=str(object_id)).delete()
