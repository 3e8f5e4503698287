"""Contacts over HTTP: list/search, create, update, identities, merge, timeline, imports.

Agents read, create and update contacts; merging and importing need a supervisor or admin.
Every id is resolved through the chokepoints, so another tenant's id is a 404.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from pasokh.contacts.access import access_contact, access_contact_import, access_identity
from pasokh.contacts.actions import (
    IdentityTaken,
    do_add_identity,
    do_create_contact,
    do_merge_contacts,
    do_remove_identity,
    do_update_contact,
)
from pasokh.contacts.custom_fields import CustomFieldError
from pasokh.contacts.listing import contact_list
from pasokh.contacts.models import Contact, ContactIdentity, ContactImport
from pasokh.contacts.schemas import (
    ContactImportOut,
    ContactIn,
    ContactOut,
    ContactPatch,
    ErrorOut,
    IdentityIn,
    IdentityOut,
    MergeIn,
    TimelineItemOut,
)
from pasokh.contacts.timeline import contact_timeline
from pasokh.persian.phone import PhoneNumberInvalid
from pasokh.tenancy.access import require_role, visible_to
from pasokh.tenancy.models import Role

router = Router(tags=["contacts"])
MAX_PAGE = 200


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _out(contact: Contact) -> Contact:
    return Contact.objects.prefetch_related("identities").get(pk=contact.pk)


@router.get("/", response=list[ContactOut])
def list_contacts(
    request: HttpRequest, q: str = "", tag: str = "", limit: int = 50, offset: int = 0
) -> list[Contact]:
    """Contacts of the caller's tenant; ``q`` searches any Persian spelling or phone form."""
    contacts = contact_list(_user(request), q=q[:200], tag=tag[:50])
    limit = max(1, min(limit, MAX_PAGE))
    return list(contacts.prefetch_related("identities")[max(0, offset) : max(0, offset) + limit])


@router.post("/", response={201: ContactOut, 400: ErrorOut, 409: ErrorOut})
def create_contact(request: HttpRequest, payload: ContactIn) -> Status[Any]:
    user = _user(request)
    try:
        with transaction.atomic():
            contact = do_create_contact(
                tenant=user.tenant,
                first_name=payload.first_name,
                last_name=payload.last_name,
                company=payload.company,
                language=payload.language,
                tags=payload.tags,
            )
            for kind, values in (("phone", payload.phones), ("email", payload.emails)):
                for value in values:
                    do_add_identity(contact, kind, value)
            if payload.custom_fields:
                do_update_contact(user, contact, custom_fields=payload.custom_fields)
    except (PhoneNumberInvalid, CustomFieldError) as error:
        return Status(400, {"detail": str(error)})
    except IdentityTaken as error:
        return Status(409, {"detail": f"{error.value} belongs to contact {error.owner.pk}"})
    return Status(201, _out(contact))


@router.get("/{contact_id}", response=ContactOut)
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    return _out(access_contact(_user(request), contact_id))


@router.patch("/{contact_id}", response={200: ContactOut, 400: ErrorOut})
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Any:
    user = _user(request)
    contact = access_contact(user, contact_id)
    changes = payload.dict(exclude_none=True)
    try:
        with transaction.atomic():
            do_update_contact(user, contact, **changes)
    except CustomFieldError as error:
        return Status(400, {"detail": str(error)})
    return Status(200, _out(contact))


@router.get("/{contact_id}/identities", response=list[IdentityOut])
def list_identities(request: HttpRequest, contact_id: int) -> list[ContactIdentity]:
    contact = access_contact(_user(request), contact_id)
    return list(visible_to(_user(request), ContactIdentity).filter(contact=contact))


@router.post("/{contact_id}/identities", response={201: IdentityOut, 400: ErrorOut, 409: ErrorOut})
def add_identity(request: HttpRequest, contact_id: int, payload: IdentityIn) -> Status[Any]:
    contact = access_contact(_user(request), contact_id)
    if payload.kind not in ContactIdentity.Kind.values:
        return Status(400, {"detail": "unknown identity kind"})
    try:
        return Status(201, do_add_identity(contact, payload.kind, payload.value))
    except PhoneNumberInvalid as error:
        return Status(400, {"detail": str(error)})
    except IdentityTaken as error:
        return Status(409, {"detail": f"{error.value} belongs to contact {error.owner.pk}"})


@router.delete("/identities/{identity_id}", response={204: None})
def remove_identity(request: HttpRequest, identity_id: int) -> Status[None]:
    do_remove_identity(access_identity(_user(request), identity_id))
    return Status(204, None)


@router.post("/{contact_id}/merge", response={200: ContactOut, 400: ErrorOut, 403: ErrorOut})
def merge_contacts(request: HttpRequest, contact_id: int, payload: MergeIn) -> Any:
    """Move everything of ``merge_id`` into this contact and delete it (supervisor, admin)."""
    user = _user(request)
    try:
        require_role(user, Role.ADMIN, Role.SUPERVISOR)
    except PermissionDenied:
        return Status(403, {"detail": "merging needs a supervisor or an admin"})
    keep = access_contact(user, contact_id)
    merge = access_contact(user, payload.merge_id)
    if keep.pk == merge.pk:
        return Status(400, {"detail": "a contact cannot be merged into itself"})
    return Status(200, _out(do_merge_contacts(user, keep, merge)))


@router.get("/{contact_id}/timeline", response=list[TimelineItemOut])
def timeline(request: HttpRequest, contact_id: int, limit: int = 100) -> list[dict[str, Any]]:
    contact = access_contact(_user(request), contact_id)
    items = contact_timeline(_user(request), contact, limit=max(1, min(limit, 500)))
    return [asdict(item) for item in items]


@router.get("/imports/{import_id}", response={200: ContactImportOut, 403: ErrorOut})
def import_status(request: HttpRequest, import_id: int) -> Any:
    user = _user(request)
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        return Status(403, {"detail": "imports need a supervisor or an admin"})
    contact_import: ContactImport = access_contact_import(user, import_id)
    return Status(200, contact_import)
