from __future__ import annotations

from django.contrib import admin

from pasokh.knowledge.models import ArticleCategory
from pasokh.tenancy.admin import TenantScopedAdmin
from pasokh.tenancy.models import Role


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(TenantScopedAdmin):
    list_display = ("name",)
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)
