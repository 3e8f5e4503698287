"""A caller's number finds their contact, or makes a new one that search finds at once."""

from __future__ import annotations

from typing import Any

import pytest

from pasokh.contacts.actions import do_find_or_create_contact
from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_a_new_caller_gets_a_contact_indexed_by_their_number_in_four_statements(
    tenants: Any, django_assert_num_queries: Any
) -> None:
    # Looking the number up, the contact, its identity, its search document: no locked read
    # of a document a contact created just now cannot have.
    with django_assert_num_queries(6):  # and the SAVEPOINT pair of its transaction in a test
        contact = do_find_or_create_contact(
            tenant=tenants.home, kind=ContactIdentity.Kind.PHONE, value="۰۹۱۲ ۳۴۵ ۶۷۸۹"
        )
    document = SearchDocument.objects.get(tenant=tenants.home, kind="contact", object_id=contact.pk)
    assert "9123456789" in document.phones.split()
    assert contact.identities.get().value == "+989123456789"


def test_the_same_number_finds_the_same_contact_in_any_form(tenants: Any) -> None:
    first = do_find_or_create_contact(
        tenant=tenants.home, kind=ContactIdentity.Kind.PHONE, value="09123456789"
    )
    again = do_find_or_create_contact(
        tenant=tenants.home, kind=ContactIdentity.Kind.PHONE, value="+98 912 345 6789"
    )
    assert again == first
    assert (
        Contact.objects.filter(tenant=tenants.home, identities__value="+989123456789").count() == 1
    )
    assert SearchDocument.objects.filter(kind="contact", object_id=first.pk).count() == 1
