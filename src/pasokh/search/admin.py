from __future__ import annotations

from django.contrib import admin

from pasokh.search.models import SearchDocument
from pasokh.tenancy.admin import TenantScopedAdmin


@admin.register(SearchDocument)
class SearchDocumentAdmin(TenantScopedAdmin):
    list_display = ("title", "kind", "object_id", "updated_at")
    list_filter = ("kind",)
    search_fields = ("title",)
    readonly_fields = ("search_key", "phones")
