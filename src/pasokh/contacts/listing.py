"""The filtered contact list shared by the page, the export and the API."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, When

from pasokh.contacts.indexing import SEARCH_KIND
from pasokh.contacts.models import Contact
from pasokh.search.query import search
from pasokh.tenancy.access import visible_to

SEARCH_LIMIT = 100


def contact_list(
    user: Any, *, q: str = "", tag: str = "", do_not_call: str = "", city: str = ""
) -> QuerySet[Contact]:
    """The user's contacts, narrowed by a search (ranked) and filters."""
    contacts = visible_to(user, Contact)
    if tag:
        contacts = _with_tag(contacts, tag)
    if do_not_call in ("yes", "no"):
        contacts = contacts.filter(do_not_call=do_not_call == "yes")
    if city:
        contacts = contacts.filter(custom_fields__city=city)
    if q.strip():
        ids = [int(hit.object_id) for hit in search(user, q, [SEARCH_KIND], SEARCH_LIMIT)]
        order = Case(
            *(When(pk=pk, then=rank) for rank, pk in enumerate(ids)), output_field=IntegerField()
        )
        contacts = contacts.filter(pk__in=ids).order_by(order) if ids else contacts.none()
    return contacts


def _with_tag(contacts: QuerySet[Contact], tag: str) -> QuerySet[Contact]:
    if connection.features.supports_json_field_contains:
        return contacts.filter(tags__contains=[tag])
    # SQLite has no JSON containment; Django stores JSON there ASCII-escaped, so match the
    # tag's escaped, quoted form inside the array text.
    return contacts.filter(tags__icontains=json.dumps(tag))
