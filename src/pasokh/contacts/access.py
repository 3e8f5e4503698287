"""Chokepoints for contacts: every agent of a tenant may read its contacts."""

from __future__ import annotations

from typing import Any

from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.tenancy.access import access


def access_contact(user: Any, contact_id: object) -> Contact:
    return access(user, Contact, contact_id)


def access_identity(user: Any, identity_id: object) -> ContactIdentity:
    return access(user, ContactIdentity, identity_id)
