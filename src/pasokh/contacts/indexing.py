"""How a contact appears in the tenant's search index (kind ``contact``)."""

from __future__ import annotations

import functools

from django.urls import NoReverseMatch, reverse

from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.search.actions import document_fields, store_document

SEARCH_KIND = "contact"


@functools.cache
def _url_pattern() -> str:
    try:
        return reverse("contacts:detail", args=[987654321]).replace("987654321", "{pk}")
    except NoReverseMatch:
        return ""


def contact_url(contact: Contact) -> str:
    """The detail page's address (formatted, not reversed, per contact: imports index 100k)."""
    pattern = _url_pattern()
    return pattern.replace("{pk}", str(contact.pk)) if pattern else ""


def contact_document(
    contact: Contact, identities: list[ContactIdentity] | None = None
) -> dict[str, object]:
    """The title, text and phones the index keeps for a contact."""
    if identities is None:
        identities = list(contact.identities.all())
    phones = [i.value for i in identities if i.kind == ContactIdentity.Kind.PHONE]
    others = [i.value for i in identities if i.kind != ContactIdentity.Kind.PHONE]
    custom = [str(value) for value in (contact.custom_fields or {}).values() if value != ""]
    text = " ".join([contact.company, *others, *(contact.tags or []), *custom])
    return document_fields(
        title=contact.full_name or contact.company or (others[0] if others else ""),
        text=text,
        phones=phones,
        url=contact_url(contact),
    )


def index_contact(
    contact: Contact, identities: list[ContactIdentity] | None = None, *, new: bool = False
) -> None:
    """Index the contact; ``identities``: all of its identities when the caller has them
    (a contact just created with its one identity), read from the database otherwise;
    ``new``: the contact was created in this transaction (``search.actions.store_document``)."""
    if identities is None:
        identities = list(contact.identities.all())
    store_document(
        tenant=contact.tenant,
        kind=SEARCH_KIND,
        object_id=contact.pk,
        fields=contact_document(contact, identities),
        new=new,
    )
