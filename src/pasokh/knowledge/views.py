"""Knowledge pages: canned answers, the guided-script editor and runner, the knowledge base."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pasokh.interactions.access import access_interaction
from pasokh.knowledge import actions, placeholders
from pasokh.knowledge.access import (
    access_article,
    access_attachment,
    access_canned_answer,
    access_script,
    access_script_run,
    require_author,
)
from pasokh.knowledge.attachments import MAX_BYTES, AttachmentError
from pasokh.knowledge.forms import ArticleForm, CannedAnswerForm
from pasokh.knowledge.models import Article, ArticleCategory, CannedAnswer, Script
from pasokh.knowledge.scriptflow import ScriptError
from pasokh.router.models import Queue
from pasokh.tenancy.access import access, visible_to

SAMPLE = {
    "contact": {"first_name": "سارا", "last_name": "محمدی"},
    "ticket": {"reference": "TK-1405-000123"},
}


@login_required
def canned_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    answers = visible_to(user, CannedAnswer).select_related("team", "queue")
    sample = {**SAMPLE, "agent": user, "tenant": user.tenant}
    rows = [(a, placeholders.render(a.body, sample)) for a in answers]
    return render(
        request,
        "knowledge/canned_list.html",
        {"section": "canned", "rows": rows, "can_edit": user.is_supervisor_or_admin},
    )


@login_required
@require_http_methods(["GET", "POST"])
def canned_edit(request: HttpRequest, answer_id: int | None = None) -> HttpResponse:
    user: Any = request.user
    require_author(user)
    answer = access_canned_answer(user, answer_id) if answer_id else None
    form = CannedAnswerForm(user, request.POST or None, instance_values=answer)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_canned_answer(
                tenant=user.tenant, actor=user, answer=answer, **form.cleaned_data
            )
            return redirect("knowledge:canned_list")
        except actions.KnowledgeError as error:
            form.add_error("body", str(error))
    return render(
        request,
        "knowledge/canned_form.html",
        {
            "section": "canned",
            "form": form,
            "answer": answer,
            "placeholders": placeholders.known_names(),
        },
    )


@login_required
def scripts(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "knowledge/scripts.html",
        {
            "section": "scripts",
            "scripts": visible_to(user, Script).select_related("current_version", "queue"),
            "can_edit": user.is_supervisor_or_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def script_editor(request: HttpRequest, script_id: int | None = None) -> HttpResponse:
    """A form-based tree editor; the JS module keeps the JSON field in step with the form."""
    user: Any = request.user
    require_author(user)
    script = access_script(user, script_id) if script_id else None
    errors: list[str] = []
    definition: Any = (
        script.current_version.definition if script and script.current_version else None
    )
    name = script.name if script else ""
    description = script.description if script else ""
    queue: Queue | None = script.queue if script else None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:200]
        description = request.POST.get("description", "").strip()[:500]
        queue_id = request.POST.get("queue", "")
        queue = access(user, Queue, int(queue_id)) if queue_id.isdigit() else None
        try:
            definition = json.loads(request.POST.get("definition", ""))
        except ValueError:
            definition, errors = None, [_("The questions could not be read; reload the editor.")]
        if not name:
            errors.append(_("Give the script a name."))
        if not errors:
            try:
                target = script or actions.do_create_script(
                    tenant=user.tenant, actor=user, name=name, description=description, queue=queue
                )
                actions.do_publish_script_version(script=target, actor=user, definition=definition)
                if script:
                    actions.do_describe_script(
                        script=script, actor=user, name=name, description=description, queue=queue
                    )
                return redirect("knowledge:scripts")
            except ScriptError as error:
                errors = error.errors
    return render(
        request,
        "knowledge/script_editor.html",
        {
            "section": "scripts",
            "script": script,
            "name": name,
            "description": description,
            "queue": queue,
            "queues": visible_to(user, Queue).order_by("name"),
            "definition_json": json.dumps(
                definition or {"start": "", "questions": []}, ensure_ascii=False
            ),
            "errors": errors,
        },
    )


@login_required
def script_runner(request: HttpRequest, script_id: int) -> HttpResponse:
    """The runner on its own page; the agent desk embeds the same partial and module.

    ``?interaction=`` fills the script for that interaction (the run already started there,
    or a new one); ``?run=`` shows a run already filled (from the contact's timeline).
    """
    user: Any = request.user
    script = access_script(user, script_id)
    interaction, run = None, None
    if request.GET.get("run", "").isdigit():
        run = access_script_run(user, int(request.GET["run"]))
        if run.version.script_id != script.pk:
            raise Http404
        interaction = run.interaction
    elif request.GET.get("interaction", "").isdigit():
        interaction = access_interaction(user, int(request.GET["interaction"]))
    return render(
        request,
        "knowledge/script_runner.html",
        {"section": "scripts", "script": script, "interaction": interaction, "run": run},
    )


@login_required
def articles(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = visible_to(user, Article).select_related("current_version", "category")
    category = request.GET.get("category", "")
    if category.isdigit():
        rows = rows.filter(category_id=int(category))
    return render(
        request,
        "knowledge/articles.html",
        {
            "section": "articles",
            "articles": rows,
            "categories": visible_to(user, ArticleCategory),
            "category": category,
            "can_edit": user.is_supervisor_or_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    user: Any = request.user
    row = access_article(user, article_id)
    upload_error = ""
    if request.method == "POST":
        require_author(user)
        upload = request.FILES.get("file")
        if upload is None:
            upload_error = _("Choose a file to attach.")
        elif upload.size and upload.size > MAX_BYTES:
            upload_error = _("The file is larger than 5 MB.")
        else:
            try:
                actions.do_attach_file(
                    article=row, actor=user, filename=upload.name or "file", content=upload.read()
                )
                return redirect("knowledge:article", row.pk)
            except AttachmentError as error:
                upload_error = str(error)
    return render(
        request,
        "knowledge/article.html",
        {
            "section": "articles",
            "article": row,
            "version": row.current_version,
            "versions": row.versions.select_related("author"),
            "attachments": row.attachments.defer("content"),
            "can_edit": user.is_supervisor_or_admin,
            "upload_error": upload_error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    user: Any = request.user
    require_author(user)
    row = access_article(user, article_id) if article_id else None
    form = ArticleForm(user, request.POST or None, article=row)
    if request.method == "POST" and form.is_valid():
        saved = actions.do_save_article(
            tenant=user.tenant, actor=user, article=row, **form.cleaned_data
        )
        return redirect("knowledge:article", saved.pk)
    return render(
        request,
        "knowledge/article_form.html",
        {"section": "articles", "form": form, "article": row},
    )


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    row = access_attachment(request.user, attachment_id)
    response = HttpResponse(bytes(row.content), content_type=row.content_type)
    response["Content-Disposition"] = content_disposition_header(True, row.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
