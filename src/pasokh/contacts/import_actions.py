"""The write path of contact imports (split from actions.py for size; re-exported there).

An import is uploaded (stored with its bytes), mapped, then processed in batches: each batch
checks its rows, bulk-creates new contacts with their identities and search documents,
merges or skips rows whose phone/e-mail already belongs to a contact, and records progress
and per-row errors on the ContactImport row, which the progress page polls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasokh.audit.actions import record
from pasokh.contacts.importing import CheckedRow, RowError, check_row, preview, read_rows
from pasokh.contacts.indexing import SEARCH_KIND, contact_document, index_contact
from pasokh.contacts.models import Contact, ContactIdentity, ContactImport, CustomField
from pasokh.search.models import SearchDocument
from pasokh.tenancy.access import require_role
from pasokh.tenancy.models import Role

BATCH_SIZE = 1000
MAX_STORED_ERRORS = 5000
Progress = Callable[[ContactImport], None]


def do_create_contact_import(user: Any, filename: str, data: bytes) -> ContactImport:
    """Store an upload after checking it can be read (UnreadableFile otherwise)."""
    require_role(user, Role.ADMIN, Role.SUPERVISOR)
    _header, _first_rows, total = preview(filename, data)
    return ContactImport.objects.create(
        tenant_id=user.tenant_id,
        created_by=user,
        filename=filename[:200],
        source=data,
        total=total,
    )


def do_start_contact_import(
    user: Any,
    contact_import: ContactImport,
    *,
    mapping: dict[str, str],
    on_duplicate: str = ContactImport.OnDuplicate.MERGE,
    background: bool = True,
    progress: Progress | None = None,
) -> ContactImport:
    """Save the column mapping and start processing after the commit (in a thread).

    ``background=False`` processes right here (the terminal command, tests, the demo).
    """
    require_role(user, Role.ADMIN, Role.SUPERVISOR)
    contact_import.mapping = mapping
    contact_import.on_duplicate = on_duplicate
    contact_import.status = ContactImport.Status.QUEUED
    contact_import.save(update_fields=["mapping", "on_duplicate", "status"])
    record(
        action="contact_import.started",
        tenant=contact_import.tenant,
        actor=user,
        object_type="contacts.contactimport",
        object_id=str(contact_import.pk),
        object_repr=contact_import.filename,
        changes={"rows": contact_import.total, "on_duplicate": on_duplicate},
    )
    if background:
        transaction.on_commit(lambda: _start_thread(contact_import.pk))
    else:
        run_contact_import(contact_import.pk, progress)
    return contact_import


def _start_thread(import_id: int) -> None:
    def work() -> None:
        close_old_connections()
        try:
            run_contact_import(import_id)
        finally:
            connection.close()

    threading.Thread(target=work, name=f"contact-import-{import_id}", daemon=True).start()


def run_contact_import(import_id: int, progress: Progress | None = None) -> ContactImport:
    """Process every row of an import, batch by batch; safe to call from a thread."""
    contact_import = ContactImport.objects.get(pk=import_id)
    ContactImport.objects.filter(pk=import_id).update(status=ContactImport.Status.RUNNING)
    contact_import.status = ContactImport.Status.RUNNING
    custom = {f.key: f for f in CustomField.objects.filter(tenant_id=contact_import.tenant_id)}
    rows = read_rows(contact_import.filename, bytes(contact_import.source))
    next(rows, None)  # the header
    numbered = enumerate(rows, start=2)
    seen: dict[str, int] = {}  # identity value → contact id, for duplicates inside the file
    try:
        while batch := list(islice(numbered, BATCH_SIZE)):
            checked = [check_row(n, cells, contact_import.mapping, custom) for n, cells in batch]
            with transaction.atomic():
                _write_batch(contact_import, checked, seen)
                contact_import.processed += len(batch)
                contact_import.save(
                    update_fields=[
                        "processed",
                        "created_count",
                        "merged_count",
                        "skipped_count",
                        "errors",
                    ]
                )
            if progress:
                progress(contact_import)
        contact_import.status = ContactImport.Status.DONE
    except Exception:
        contact_import.status = ContactImport.Status.FAILED
        raise
    finally:
        contact_import.total = max(contact_import.total, contact_import.processed)
        contact_import.finished_at = timezone.now()
        contact_import.save(update_fields=["status", "total", "finished_at"])
    return contact_import


def _report(contact_import: ContactImport, error: RowError) -> None:
    contact_import.skipped_count += 1
    if len(contact_import.errors) < MAX_STORED_ERRORS:
        contact_import.errors.append({"row": error.number, "reason": error.reason})


def _write_batch(
    contact_import: ContactImport, checked: list[CheckedRow | RowError], seen: dict[str, int]
) -> None:
    values = {
        value for row in checked if isinstance(row, CheckedRow) for value in row.identity_values
    }
    owners = dict(
        ContactIdentity.objects.filter(
            tenant_id=contact_import.tenant_id, kind__in=("phone", "email"), value__in=values
        ).values_list("value", "contact_id")
    )
    owners.update({value: seen[value] for value in values if value in seen})
    new_rows: list[CheckedRow] = []
    merges: dict[int, list[CheckedRow]] = {}
    claimed: dict[str, int] = {}  # identities claimed by new rows of this batch
    twins: list[CheckedRow] = []
    for row in checked:
        if isinstance(row, RowError):
            _report(contact_import, row)
            continue
        owner = next((owners[v] for v in row.identity_values if v in owners), None)
        twin = next((claimed[v] for v in row.identity_values if v in claimed), None)
        if owner is None and twin is None:
            for value in row.identity_values:
                claimed[value] = row.number
            new_rows.append(row)
        elif contact_import.on_duplicate == ContactImport.OnDuplicate.SKIP:
            reason = _("Duplicate: the phone or e-mail belongs to an existing contact (skipped).")
            if owner is None:
                reason = _("Duplicate of row %(row)s in this file (skipped).") % {"row": twin}
            _report(contact_import, RowError(row.number, reason))
        elif owner is None:
            twins.append(row)
        else:
            merges.setdefault(owner, []).append(row)
    created = _create_contacts(contact_import, new_rows)
    for contact in created:
        for identity in contact._imported_identities:  # type: ignore[attr-defined]
            seen[identity] = contact.pk
    contact_import.created_count += len(created)
    for row in twins:  # same person twice in this batch: merge into the one just created
        owner = next(seen[v] for v in row.identity_values if v in seen)
        merges.setdefault(owner, []).append(row)
    for contact_id, rows in merges.items():
        _merge_rows(contact_import, contact_id, rows, seen)
        contact_import.merged_count += len(rows)


def _new_contact(contact_import: ContactImport, row: CheckedRow) -> Contact:
    contact = Contact(
        tenant_id=contact_import.tenant_id,
        first_name=row.first_name,
        last_name=row.last_name,
        company=row.company,
        language=row.language or "fa",
        tags=row.tags,
        custom_fields=row.custom,
    )
    contact.refresh_search_text()  # bulk_create skips save()
    return contact


def _create_contacts(contact_import: ContactImport, rows: list[CheckedRow]) -> list[Contact]:
    contacts = Contact.objects.bulk_create([_new_contact(contact_import, row) for row in rows])
    identities: list[ContactIdentity] = []
    documents: list[SearchDocument] = []
    for contact, row in zip(contacts, rows, strict=True):
        own: list[ContactIdentity] = []
        for kind, value in dict.fromkeys(row.identities):
            own.append(
                ContactIdentity(
                    tenant_id=contact.tenant_id,
                    contact=contact,
                    kind=kind,
                    value=value,
                    is_primary=not any(i.kind == kind for i in own),
                )
            )
        contact._imported_identities = [i.value for i in own]  # type: ignore[attr-defined]
        identities.extend(own)
        documents.append(
            SearchDocument(
                tenant_id=contact.tenant_id,
                kind=SEARCH_KIND,
                object_id=str(contact.pk),
                **contact_document(contact, own),
            )
        )
    ContactIdentity.objects.bulk_create(identities)
    SearchDocument.objects.bulk_create(documents)
    return contacts


def _merge_rows(
    contact_import: ContactImport, contact_id: int, rows: Iterable[CheckedRow], seen: dict[str, int]
) -> None:
    contact = Contact.objects.get(pk=contact_id, tenant_id=contact_import.tenant_id)
    existing = set(contact.identities.values_list("value", flat=True))
    kinds = set(contact.identities.values_list("kind", flat=True))
    for row in rows:
        for name in ("first_name", "last_name", "company"):
            if not getattr(contact, name) and getattr(row, name):
                setattr(contact, name, getattr(row, name))
        contact.tags = list(dict.fromkeys([*contact.tags, *row.tags]))
        contact.custom_fields = {**row.custom, **contact.custom_fields}
        for kind, value in row.identities:
            if (
                value in existing
                or ContactIdentity.objects.filter(
                    tenant_id=contact.tenant_id, value=value, kind=kind
                ).exists()
            ):
                continue
            ContactIdentity.objects.create(
                tenant_id=contact.tenant_id,
                contact=contact,
                kind=kind,
                value=value,
                is_primary=kind not in kinds,
            )
            existing.add(value)
            kinds.add(kind)
            seen[value] = contact.pk
    contact.save()
    index_contact(contact)
