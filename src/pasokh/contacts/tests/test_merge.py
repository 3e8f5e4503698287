"""Merging two records of one customer keeps everything of both."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pasokh.audit.models import AuditEntry
from pasokh.contacts.actions import (
    do_add_identity,
    do_create_contact,
    do_merge_contacts,
    do_set_custom_fields,
)
from pasokh.contacts.duplicates import likely_duplicates
from pasokh.contacts.merge import contact_references
from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.interactions.models import Interaction, Note
from pasokh.search.query import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(tenants):
    home = tenants.home
    keep = do_create_contact(
        tenant=home, first_name="علی", last_name="رضایی", phones=["09121110000"], tags=["vip"]
    )
    merge = do_create_contact(
        tenant=home,
        first_name="علي",
        last_name="رضايي",
        phones=["09351110000"],
        emails=["ali@example.com"],
        company="نور",
        tags=["b2b"],
    )
    merge.do_not_call = True
    merge.save()
    do_set_custom_fields(merge, {"city": "شیراز"})
    agent = tenants.user("agent")
    for contact in (keep, merge):
        interaction = Interaction.objects.create(
            tenant=home, contact=contact, channel="voice", arrived_at=timezone.now()
        )
        Note.objects.create(tenant=home, interaction=interaction, author=agent, body="یادداشت")
    return tenants, keep, merge


def test_every_relation_to_contact_is_discovered():
    labels = {reference.label for reference in contact_references()}
    assert "contacts.ContactIdentity.contact" in labels
    assert "interactions.Interaction.contact" in labels


def test_every_row_pointing_at_a_contact_moves(twins):
    tenants, keep, merge = twins
    before = {
        ref.label: ref.model._default_manager.filter(**{ref.field_name: merge}).count()
        + ref.model._default_manager.filter(**{ref.field_name: keep}).count()
        for ref in contact_references()
    }
    do_merge_contacts(tenants.user("supervisor"), keep, merge)
    for ref in contact_references():
        assert (
            ref.model._default_manager.filter(**{ref.field_name: keep}).count() == before[ref.label]
        ), ref.label


def test_merge_keeps_interactions_identities_and_notes(twins):
    tenants, keep, merge = twins
    merged_id = merge.pk
    do_merge_contacts(tenants.user("supervisor"), keep, merge)
    assert not Contact.objects.filter(pk=merged_id).exists()
    assert set(keep.identities.values_list("value", flat=True)) == {
        "+989121110000",
        "+989351110000",
        "ali@example.com",
    }
    assert keep.identities.filter(kind="phone", is_primary=True).count() == 1
    assert Interaction.objects.filter(contact=keep).count() == 2
    assert Note.objects.filter(interaction__contact=keep).count() == 2


def test_merge_fills_blanks_and_is_careful_with_flags(twins):
    tenants, keep, merge = twins
    keep = do_merge_contacts(tenants.user("supervisor"), keep, merge)
    keep.refresh_from_db()
    assert keep.company == "نور"
    assert keep.tags == ["vip", "b2b"]
    assert keep.custom_fields["city"] == "شیراز"
    assert keep.do_not_call is True


def test_merge_is_audited_and_reindexed(twins):
    tenants, keep, merge = twins
    supervisor = tenants.user("supervisor")
    do_merge_contacts(supervisor, keep, merge)
    entry = AuditEntry.objects.get(action="contact.merged")
    assert entry.actor == supervisor
    assert entry.changes["moved"]["interactions.Interaction.contact"] == 1
    hits = search(supervisor, "09351110000")
    assert [(h.kind, h.object_id) for h in hits] == [("contact", str(keep.pk))]


def test_agents_may_not_merge(twins):
    tenants, keep, merge = twins
    with pytest.raises(PermissionDenied):
        do_merge_contacts(tenants.user("agent"), keep, merge)
    assert Contact.objects.filter(pk=merge.pk).exists()


def test_contacts_of_another_tenant_cannot_be_merged(twins):
    tenants, keep, _merge = twins
    stranger = Contact.objects.filter(tenant=tenants.other).first()
    with pytest.raises(ValueError, match="tenant"):
        do_merge_contacts(tenants.user("supervisor"), keep, stranger)
    with pytest.raises(ValueError, match="tenant"):
        do_merge_contacts(tenants.user("b_supervisor"), keep, stranger)


def test_the_same_name_in_another_spelling_is_a_likely_duplicate(twins):
    tenants, keep, merge = twins
    assert merge in list(likely_duplicates(tenants.user("agent"), keep))


def test_an_identity_already_in_use_is_refused(twins):
    from pasokh.contacts.actions import IdentityTaken

    _tenants, keep, merge = twins
    with pytest.raises(IdentityTaken) as error:
        do_add_identity(keep, ContactIdentity.Kind.PHONE, "+98 935 111 0000")
    assert error.value.owner == merge
