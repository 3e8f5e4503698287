"""Which other contacts are probably the same person (for the warning and the merge)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from pasokh.contacts.models import Contact
from pasokh.tenancy.access import visible_to

# pg_trgm similarity of folded full names above which two contacts are flagged.
NAME_SIMILARITY = 0.7
MAX_DUPLICATES = 10


def _similar_name_ids(contact: Contact) -> list[int]:
    if connection.vendor != "postgresql" or len(contact.name_key) < 4:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM contacts_contact WHERE tenant_id = %s AND id <> %s "
            "AND similarity(name_key, %s) >= %s ORDER BY similarity(name_key, %s) DESC LIMIT %s",
            [
                contact.tenant_id,
                contact.pk,
                contact.name_key,
                NAME_SIMILARITY,
                contact.name_key,
                MAX_DUPLICATES,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


def likely_duplicates(user: Any, contact: Contact) -> QuerySet[Contact]:
    """Same folded name (any spelling), same phone/e-mail, or (PostgreSQL) a similar name."""
    values = list(contact.identities.values_list("value", flat=True))
    condition = Q(identities__value__in=values) if values else Q(pk__in=[])
    if contact.name_key:
        condition |= Q(name_key=contact.name_key)
    similar = _similar_name_ids(contact)
    if similar:
        condition |= Q(pk__in=similar)
    return (
        visible_to(user, Contact)
        .filter(condition)
        .exclude(pk=contact.pk)
        .distinct()
        .order_by("pk")[:MAX_DUPLICATES]
    )
