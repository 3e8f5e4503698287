"""One searchable document per contact, ticket, order, article … of a tenant.

Apps never search each other's tables: after they write, their actions call
:func:`pasokh.search.actions.do_index_document`, and every search reads this table only
(through the SQLite FTS5 or PostgreSQL full-text indexes built over ``search_key``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.tenancy.models import TenantOwned


class SearchDocument(TenantOwned):
    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.CharField(_("object id"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # Both folded variants of title + text, one per line: the spaced key ("می خواهم") and the
    # joined key ("میخواهم"), so every way of typing a ZWNJ word finds the document.
    search_key = models.TextField(editable=False, blank=True)
    # Space-separated digit variants of every phone (989121234567 09121234567 …), matched
    # by prefix.
    phones = models.TextField(editable=False, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "object_id"], name="search_document_unique"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["tenant", "kind"], name="search_tenant_kind")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
