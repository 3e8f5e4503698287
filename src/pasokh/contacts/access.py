"""Chokepoints for contacts: every agent of a tenant may read its contacts.

Imports (bulk personal data) are tenant-scoped here and role-checked where they are opened
(views and API require a supervisor or an admin).
"""

from __future__ import annotations

from typing import Any

from pasokh.contacts.models import Contact, ContactIdentity, ContactImport, CustomField
from pasokh.tenancy.access import access


def access_contact(user: Any, contact_id: object) -> Contact:
    return access(user, Contact, contact_id)


def access_identity(user: Any, identity_id: object) -> ContactIdentity:
    return access(user, ContactIdentity, identity_id)


def access_contact_import(user: Any, import_id: object) -> ContactImport:
    return access(user, ContactImport, import_id)


def access_custom_field(user: Any, field_id: object) -> CustomField:
    return access(user, CustomField, field_id)
