"""Finding every row that points at a contact, in any app, for merging.

Discovery goes through Django's related objects, so a model added later (tickets, orders,
survey answers …) with a foreign key to Contact is moved by a merge without this app
knowing it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from pasokh.contacts.models import Contact


@dataclass(frozen=True)
class ContactReference:
    """One foreign key (or many-to-many through table column) that points at Contact."""

    model: type[models.Model]
    field_name: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field_name}"


def contact_references() -> list[ContactReference]:
    references: list[ContactReference] = []
    for relation in Contact._meta.related_objects:
        if relation.many_to_many:
            through = relation.through  # type: ignore[attr-defined]
            for field in through._meta.get_fields():
                if getattr(field, "related_model", None) is Contact and field.concrete:
                    references.append(ContactReference(through, field.name))
            continue
        references.append(ContactReference(relation.related_model, relation.field.name))
    return sorted(references, key=lambda ref: ref.label)
