"""Existing contacts get their folded name key and a search document."""

from django.db import migrations

from pasokh.persian.normalize import search_key
from pasokh.search.actions import document_fields


def fill(apps, schema_editor):
    contact_model = apps.get_model("contacts", "Contact")
    document_model = apps.get_model("search", "SearchDocument")
    for contact in contact_model.objects.prefetch_related("identities").iterator(chunk_size=500):
        full_name = f"{contact.first_name} {contact.last_name}".strip()
        contact.name_key = search_key(full_name)[:201]
        contact.save(update_fields=["name_key"])
        identities = list(contact.identities.all())
        fields = document_fields(
            title=full_name or contact.company,
            text=" ".join([contact.company, *(i.value for i in identities if i.kind != "phone")]),
            phones=[i.value for i in identities if i.kind == "phone"],
        )
        document_model.objects.update_or_create(
            tenant_id=contact.tenant_id, kind="contact", object_id=str(contact.pk), defaults=fields
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_custom_fields_and_name_key"),
        ("search", "0002_search_indexes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
