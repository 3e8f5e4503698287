"""The import wizard: upload → preview and column mapping → progress → error report."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pasokh.contacts.access import access_contact_import
from pasokh.contacts.actions import do_create_contact_import, do_start_contact_import
from pasokh.contacts.importing import (
    MAX_UPLOAD_BYTES,
    TARGETS,
    UnreadableFile,
    guess_mapping,
    preview,
)
from pasokh.contacts.models import ContactImport, CustomField
from pasokh.tenancy.access import require_role, visible_to
from pasokh.tenancy.models import Role

MANAGERS = (Role.ADMIN, Role.SUPERVISOR)


def _target_labels() -> dict[str, str]:
    return {
        "": _("— ignore —"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "full_name": _("Full name"),
        "phone": _("Phone"),
        "email": _("Email"),
        "company": _("Company"),
        "tags": _("Tags"),
        "language": _("Language"),
    }


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *MANAGERS)
    error = ""
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            error = _("Choose a file to upload.")
        elif uploaded.size > MAX_UPLOAD_BYTES:
            error = _("The file is larger than 20 MB.")
        else:
            try:
                contact_import = do_create_contact_import(
                    request.user, uploaded.name or "contacts.csv", uploaded.read()
                )
            except UnreadableFile as problem:
                error = str(problem)
            else:
                return redirect("contacts:import_map", import_id=contact_import.pk)
    imports = visible_to(request.user, ContactImport).defer("source")[:10]
    return render(request, "contacts/import_upload.html", {"error": error, "imports": imports})


@login_required
def map_columns(request: HttpRequest, import_id: int) -> HttpResponse:
    require_role(request.user, *MANAGERS)
    contact_import = access_contact_import(request.user, import_id)
    if contact_import.status != ContactImport.Status.UPLOADED:
        return redirect("contacts:import_progress", import_id=contact_import.pk)
    header, first_rows, total = preview(contact_import.filename, bytes(contact_import.source))
    fields = list(visible_to(request.user, CustomField))
    targets = _target_labels() | {f"custom:{f.key}": f.label for f in fields}
    if request.method == "POST":
        mapping = {
            str(i): request.POST.get(f"column_{i}", "")
            for i in range(len(header))
            if request.POST.get(f"column_{i}", "") in targets
        }
        on_duplicate = request.POST.get("on_duplicate", ContactImport.OnDuplicate.MERGE)
        if on_duplicate not in ContactImport.OnDuplicate.values:
            on_duplicate = ContactImport.OnDuplicate.MERGE
        do_start_contact_import(
            request.user, contact_import, mapping=mapping, on_duplicate=on_duplicate
        )
        return redirect("contacts:import_progress", import_id=contact_import.pk)
    guessed = guess_mapping(header, fields)
    columns = [
        {
            "index": i,
            "title": title,
            "target": guessed.get(str(i), ""),
            "samples": [row[i] if i < len(row) else "" for row in first_rows[:3]],
        }
        for i, title in enumerate(header)
    ]
    return render(
        request,
        "contacts/import_map.html",
        {
            "import": contact_import,
            "columns": columns,
            "targets": targets,
            "header": header,
            "rows": first_rows,
            "total": total,
            "duplicate_choices": ContactImport.OnDuplicate.choices,
            "known_targets": TARGETS,
        },
    )


@login_required
def progress_page(request: HttpRequest, import_id: int) -> HttpResponse:
    require_role(request.user, *MANAGERS)
    contact_import = access_contact_import(request.user, import_id)
    return render(request, "contacts/import_progress.html", {"import": contact_import})


@login_required
def progress_json(request: HttpRequest, import_id: int) -> JsonResponse:
    require_role(request.user, *MANAGERS)
    state = access_contact_import(request.user, import_id)
    return JsonResponse(
        {
            "status": state.status,
            "status_label": state.get_status_display(),
            "total": state.total,
            "processed": state.processed,
            "percent": state.percent,
            "created": state.created_count,
            "merged": state.merged_count,
            "skipped": state.skipped_count,
            "finished": state.status in (ContactImport.Status.DONE, ContactImport.Status.FAILED),
        }
    )


@login_required
def error_report(request: HttpRequest, import_id: int) -> HttpResponse:
    require_role(request.user, *MANAGERS)
    contact_import = access_contact_import(request.user, import_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Problem")])
    for error in contact_import.errors:
        reason = str(error.get("reason", ""))
        writer.writerow([error.get("row"), "'" + reason if reason[:1] in "=+-@" else reason])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{import_id}-errors.csv"'
    return response
