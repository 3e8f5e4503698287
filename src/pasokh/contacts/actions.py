"""Creating and finding contacts (the only write path for this app)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from pasokh.audit.actions import record
from pasokh.contacts.custom_fields import CustomFieldError, clean_values
from pasokh.contacts.indexing import SEARCH_KIND, index_contact
from pasokh.contacts.merge import ContactReference, contact_references
from pasokh.contacts.models import Contact, ContactIdentity, CustomField
from pasokh.persian.phone import normalize_phone
from pasokh.search.actions import do_remove_document
from pasokh.tenancy.access import require_role
from pasokh.tenancy.models import Role, Tenant


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
    index_contact(contact, new=True)
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
    identity = ContactIdentity.objects.create(
        tenant=tenant, contact=contact, kind=kind, value=normalized, is_primary=True
    )
    index_contact(contact, [identity], new=True)
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


class MergeConflict(Exception):  # noqa: N818 - reads as the domain fact
    """A row could not move to the kept contact (a uniqueness rule); nothing was changed."""


def _fill_blanks(keep: Contact, merge: Contact) -> None:
    for name in ("first_name", "last_name", "company"):
        if not getattr(keep, name) and getattr(merge, name):
            setattr(keep, name, getattr(merge, name))
    keep.tags = list(dict.fromkeys([*(keep.tags or []), *(merge.tags or [])]))
    keep.custom_fields = {**(merge.custom_fields or {}), **(keep.custom_fields or {})}
    # Do-not-call from either record wins; consent only when both records had it.
    keep.do_not_call = keep.do_not_call or merge.do_not_call
    keep.marketing_consent = keep.marketing_consent and merge.marketing_consent


def _move_rows(reference: ContactReference, keep: Contact, merge: Contact) -> int:
    rows = reference.model._default_manager.filter(**{reference.field_name: merge})
    try:
        with transaction.atomic():
            return rows.update(**{reference.field_name: keep})
    except IntegrityError as error:
        raise MergeConflict(reference.label) from error


@transaction.atomic
def do_merge_contacts(user: Any, keep: Contact, merge: Contact) -> Contact:
    """Move everything of ``merge`` to ``keep`` and delete ``merge``; audited.

    Every row of any app that points at ``merge`` moves (found through Django's related
    objects); blank fields of ``keep`` are filled from ``merge``. If any row cannot move,
    the whole merge rolls back, so a merge never loses anything.
    """
    require_role(user, Role.ADMIN, Role.SUPERVISOR)
    if keep.pk == merge.pk or not keep.tenant_id == merge.tenant_id == user.tenant_id:
        raise ValueError("merge two different contacts of the user's tenant")
    merged_repr = f"#{merge.pk} {merge}"
    primary_kinds = set(keep.identities.filter(is_primary=True).values_list("kind", flat=True))
    merge.identities.filter(kind__in=primary_kinds).update(is_primary=False)
    moved = {ref.label: _move_rows(ref, keep, merge) for ref in contact_references()}
    _fill_blanks(keep, merge)
    keep.save()
    merged_id = merge.pk
    merge.delete()
    do_remove_document(keep.tenant, SEARCH_KIND, merged_id)
    index_contact(keep)
    record(
        action="contact.merged",
        tenant=keep.tenant,
        actor=user,
        object_type="contacts.contact",
        object_id=str(keep.pk),
        object_repr=str(keep),
        changes={"merged": merged_repr, "merged_id": merged_id, "moved": moved},
    )
    return keep


CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "language",
    "tags",
    "do_not_call",
    "marketing_consent",
)


class IdentityTaken(ValueError):  # noqa: N818 - reads as the domain fact
    """The phone/e-mail already belongs to another contact of the tenant."""

    def __init__(self, value: str, owner: Contact) -> None:
        super().__init__(value)
        self.value = value
        self.owner = owner


@transaction.atomic
def do_update_contact(user: Any, contact: Contact, **changes: Any) -> Contact:
    """Change a contact's own fields (and custom fields under ``custom_fields``); audited."""
    custom = changes.pop("custom_fields", None)
    before = {name: getattr(contact, name) for name in changes}
    for name, value in changes.items():
        if name not in CONTACT_FIELDS:
            raise ValueError(f"{name} is not a contact field")
        setattr(contact, name, value)
    contact.save()
    if custom is not None:
        do_set_custom_fields(contact, custom)
    index_contact(contact)
    diff = {k: [before[k], changes[k]] for k in changes if before[k] != changes[k]}
    if diff or custom:
        record(
            action="contact.updated",
            tenant=contact.tenant,
            actor=user,
            object_type="contacts.contact",
            object_id=str(contact.pk),
            object_repr=str(contact),
            changes={**diff, **({"custom_fields": custom} if custom else {})},
        )
    return contact


@transaction.atomic
def do_add_identity(contact: Contact, kind: str, value: str) -> ContactIdentity:
    """Attach a phone/e-mail/chat/messenger id (normalized); IdentityTaken if it is in use."""
    normalized = normalize_identity(kind, value)
    existing = (
        ContactIdentity.objects.select_related("contact")
        .filter(tenant_id=contact.tenant_id, kind=kind, value=normalized)
        .first()
    )
    if existing is not None:
        if existing.contact_id == contact.pk:
            return existing
        raise IdentityTaken(normalized, existing.contact)
    identity = ContactIdentity.objects.create(
        tenant_id=contact.tenant_id,
        contact=contact,
        kind=kind,
        value=normalized,
        is_primary=not contact.identities.filter(kind=kind).exists(),
    )
    index_contact(contact)
    return identity


@transaction.atomic
def do_remove_identity(identity: ContactIdentity) -> None:
    contact = identity.contact
    identity.delete()
    if identity.is_primary:
        successor = contact.identities.filter(kind=identity.kind).first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    index_contact(contact)


from pasokh.contacts.import_actions import (  # noqa: E402 - re-exported write path of imports
    do_create_contact_import,
    do_start_contact_import,
    run_contact_import,
)

__all__ = [
    "do_add_identity",
    "do_create_contact",
    "do_create_contact_import",
    "do_create_custom_field",
    "do_find_or_create_contact",
    "do_merge_contacts",
    "do_remove_identity",
    "do_set_custom_fields",
    "do_start_contact_import",
    "do_update_contact",
    "run_contact_import",
]
