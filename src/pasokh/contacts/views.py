"""Contact pages: the searchable list, the detail with timeline, merge, export."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pasokh.contacts.access import access_contact
from pasokh.contacts.duplicates import likely_duplicates
from pasokh.contacts.exporting import header, rows, to_csv, to_xlsx
from pasokh.contacts.listing import contact_list
from pasokh.contacts.models import CustomField
from pasokh.contacts.timeline import contact_timeline
from pasokh.tenancy.access import require_role, visible_to
from pasokh.tenancy.models import Role

PAGE_SIZE = 25
MANAGERS = (Role.ADMIN, Role.SUPERVISOR)


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "q": request.GET.get("q", "")[:200],
        "tag": request.GET.get("tag", "")[:50],
        "do_not_call": request.GET.get("do_not_call", "")[:3],
        "city": request.GET.get("city", "")[:100],
    }


@login_required
def contact_list_page(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    contacts = contact_list(request.user, **filters).prefetch_related("identities")
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    city_field = visible_to(request.user, CustomField).filter(key="city").first()
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "contacts/list.html",
        {
            "page": page,
            "filters": filters,
            "cities": city_field.choices if city_field else [],
            "query": query,
            "can_manage": request.user.role in MANAGERS,  # type: ignore[union-attr]
        },
    )


def _display_value(field: CustomField, value: object) -> object:
    """Stored dates are ISO strings; the template's jdate filter wants a date."""
    if field.type == CustomField.Type.DATE and isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@login_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = access_contact(request.user, contact_id)
    fields = list(visible_to(request.user, CustomField))
    return render(
        request,
        "contacts/detail.html",
        {
            "contact": contact,
            "identities": contact.identities.all(),
            "custom": [
                (f, _display_value(f, contact.custom_fields.get(f.key, ""))) for f in fields
            ],
            "duplicates": list(likely_duplicates(request.user, contact)),
            "timeline": contact_timeline(request.user, contact),
            "can_manage": request.user.role in MANAGERS,  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def merge_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    from pasokh.contacts.actions import do_merge_contacts

    require_role(request.user, *MANAGERS)
    keep = access_contact(request.user, contact_id)
    merge = access_contact(request.user, request.POST.get("merge_id"))
    if keep.pk == merge.pk:
        raise Http404
    merged_name = str(merge)
    do_merge_contacts(request.user, keep, merge)
    messages.success(request, _("%(name)s was merged into this contact.") % {"name": merged_name})
    return redirect("contacts:detail", contact_id=keep.pk)


@login_required
def export_contacts(request: HttpRequest, fmt: str) -> HttpResponse:
    require_role(request.user, *MANAGERS)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    contacts = contact_list(request.user, **_filters(request))
    fields = list(visible_to(request.user, CustomField))
    table = itertools.chain([header(fields)], rows(contacts, fields))
    if fmt == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="contacts.{fmt}"'
    return response
