"""Creating and finding contacts (the only write path for this app)."""

from __future__ import annotations

from django.db import transaction

from pasokh.contacts.custom_fields import CustomFieldError, clean_values
from pasokh.contacts.indexing import index_contact
from pasokh.contacts.models import Contact, ContactIdentity, CustomField
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
    custom_fields: dict[str, object] | None = None,
) -> Contact:
    contact = Contact.objects.create(
        tenant=tenant,
        first_name=first_name,
        last_name=last_name,
        company=company,
        language=language,
        tags=tags or [],
        custom_fields=custom_fields or {},
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
    index_contact(contact)
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
    index_contact(contact)
    return contact


def do_create_custom_field(
    *,
    tenant: Tenant,
    key: str,
    label: str,
    type: str = CustomField.Type.TEXT,
    choices: list[str] | None = None,
    position: int = 0,
) -> CustomField:
    return CustomField.objects.create(
        tenant=tenant, key=key, label=label, type=type, choices=choices or [], position=position
    )


@transaction.atomic
def do_set_custom_fields(contact: Contact, values: dict[str, object]) -> Contact:
    """Validate and store custom-field values (CustomFieldError lists what is wrong)."""
    fields = CustomField.objects.filter(tenant_id=contact.tenant_id)
    cleaned, errors = clean_values(fields, values)
    if errors:
        raise CustomFieldError("; ".join(f"{key}: {message}" for key, message in errors.items()))
    merged = {**contact.custom_fields, **cleaned}
    contact.custom_fields = {key: value for key, value in merged.items() if value != ""}
    contact.save(update_fields=["custom_fields", "updated_at"])
    index_contact(contact)
    return contact
