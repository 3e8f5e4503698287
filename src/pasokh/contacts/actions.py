"""Creating and finding contacts (the only write path for this app)."""

from __future__ import annotations

from django.db import transaction

from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.persian.phone import normalize_phone
from pasokh.tenancy.models import Tenant


def normalize_identity(kind: str, value: str) -> str:
    if kind == ContactIdentity.Kind.PHONE:
        return normalize_phone(value)
    if kind == ContactIdentity.Kind.EMAIL:
        return value.strip().lower()
    return value.strip()


@transaction.atomic
def do_create_contact(
    *,
    tenant: Tenant,
    first_name: str,
    last_name: str = "",
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    company: str = "",
    language: str = "fa",
    tags: list[str] | None = None,
) -> Contact:
    contact = Contact.objects.create(
        tenant=tenant,
        first_name=first_name,
        last_name=last_name,
        company=company,
        language=language,
        tags=tags or [],
    )
    for kind, values in (
        (ContactIdentity.Kind.PHONE, phones),
        (ContactIdentity.Kind.EMAIL, emails),
    ):
        for position, value in enumerate(values or []):
            ContactIdentity.objects.create(
                tenant=tenant,
                contact=contact,
                kind=kind,
                value=normalize_identity(kind, value),
                is_primary=position == 0,
            )
    return contact


@transaction.atomic
def do_find_or_create_contact(
    *, tenant: Tenant, kind: str, value: str, first_name: str = ""
) -> Contact:
    """The contact owning this phone/e-mail, created when the identity is new."""
    normalized = normalize_identity(kind, value)
    identity = (
        ContactIdentity.objects.select_related("contact")
        .filter(tenant=tenant, kind=kind, value=normalized)
        .first()
    )
    if identity is not None:
        return identity.contact
    contact = Contact.objects.create(tenant=tenant, first_name=first_name)
    ContactIdentity.objects.create(
        tenant=tenant, contact=contact, kind=kind, value=normalized, is_primary=True
    )
    return contact
