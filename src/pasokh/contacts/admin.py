from __future__ import annotations

from django.contrib import admin

from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.tenancy.admin import TenantScopedAdmin, TenantScopedInline
from pasokh.tenancy.models import Role


class IdentityInline(TenantScopedInline):
    model = ContactIdentity


@admin.register(Contact)
class ContactAdmin(TenantScopedAdmin):
    list_display = ("__str__", "company", "language", "do_not_call")
    list_filter = ("language", "do_not_call")
    search_fields = ("search_text", "identities__value")
    inlines = (IdentityInline,)
    tenant_editable_by = (Role.ADMIN, Role.SUPERVISOR)
