"""Knowledge over REST: everyone reads; agents fill the scripts of their own interactions;
supervisors and admins author and may fill any."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from pasokh.contacts.models import Contact
from pasokh.interactions.access import access_interaction
from pasokh.knowledge import actions, placeholders, runs
from pasokh.knowledge.access import (
    access_article,
    access_article_category,
    access_attachment,
    access_canned_answer,
    access_script,
    access_script_run,
    access_script_run_to_fill,
    access_script_version,
    may_fill_in,
    require_author,
)
from pasokh.knowledge.attachments import MAX_BYTES, AttachmentError
from pasokh.knowledge.models import Article, ArticleCategory, CannedAnswer, Script
from pasokh.knowledge.schemas import (
    AnswerIn,
    ArticleIn,
    ArticleOut,
    ArticleVersionOut,
    AttachmentOut,
    CannedAnswerIn,
    CannedAnswerOut,
    CategoryIn,
    CategoryOut,
    RenderIn,
    RenderOut,
    RunIn,
    RunOpenIn,
    RunOut,
    ScriptIn,
    ScriptOut,
    VersionIn,
    VersionOut,
)
from pasokh.knowledge.scriptflow import AnswerError, ScriptError
from pasokh.router.models import Queue
from pasokh.tenancy.access import access, access_team, visible_to

router = Router(tags=["knowledge"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _author(request: HttpRequest) -> Any:
    user = _user(request)
    try:
        require_author(user)
    except PermissionDenied as error:
        raise HttpError(403, "Supervisors and admins only") from error
    return user


# Canned answers -------------------------------------------------------------------------


@router.get("/canned-answers", response=list[CannedAnswerOut])
def list_canned(request: HttpRequest, q: str = "") -> Any:
    answers = visible_to(_user(request), CannedAnswer).filter(is_active=True)
    return answers.filter(shortcut__startswith=q) if q else answers


def _save_canned(request: HttpRequest, payload: CannedAnswerIn, answer: Any = None) -> Any:
    user = _author(request)
    try:
        return actions.do_save_canned_answer(
            tenant=user.tenant,
            actor=user,
            title=payload.title,
            shortcut=payload.shortcut,
            body=payload.body,
            team=access_team(user, payload.team_id) if payload.team_id else None,
            queue=access(user, Queue, payload.queue_id) if payload.queue_id else None,
            is_active=payload.is_active,
            answer=answer,
        )
    except actions.KnowledgeError as error:
        raise HttpError(422, str(error)) from error


@router.post("/canned-answers", response={201: CannedAnswerOut})
def create_canned(request: HttpRequest, payload: CannedAnswerIn) -> Any:
    return Status(201, _save_canned(request, payload))


@router.get("/canned-answers/{answer_id}", response=CannedAnswerOut)
def get_canned(request: HttpRequest, answer_id: int) -> Any:
    return access_canned_answer(_user(request), answer_id)


@router.put("/canned-answers/{answer_id}", response=CannedAnswerOut)
def update_canned(request: HttpRequest, answer_id: int, payload: CannedAnswerIn) -> Any:
    return _save_canned(request, payload, access_canned_answer(_user(request), answer_id))


@router.delete("/canned-answers/{answer_id}", response={204: None})
def delete_canned(request: HttpRequest, answer_id: int) -> Any:
    user = _author(request)
    actions.do_delete_canned_answer(answer=access_canned_answer(user, answer_id), actor=user)
    return Status(204, None)


@router.post("/canned-answers/{answer_id}/render", response=RenderOut)
def render_canned(request: HttpRequest, answer_id: int, payload: RenderIn) -> Any:
    """The answer's text filled for a conversation (plain text; the client escapes it)."""
    from pasokh.orders.access import access_order
    from pasokh.tickets.access import access_ticket

    user = _user(request)
    answer = access_canned_answer(user, answer_id)
    objects: dict[str, Any] = {"agent": user, "tenant": user.tenant}
    if payload.contact_id:
        objects["contact"] = access(user, Contact, payload.contact_id)
    if payload.ticket_id:
        objects["ticket"] = access_ticket(user, payload.ticket_id)
    if payload.order_id:
        objects["order"] = access_order(user, payload.order_id)
    return {"text": placeholders.render(answer.body, objects)}


# Guided scripts -------------------------------------------------------------------------


@router.get("/scripts", response=list[ScriptOut])
def list_scripts(request: HttpRequest) -> Any:
    return visible_to(_user(request), Script)


@router.post("/scripts", response={201: ScriptOut})
def create_script(request: HttpRequest, payload: ScriptIn) -> Any:
    user = _author(request)
    script = actions.do_create_script(
        tenant=user.tenant,
        actor=user,
        name=payload.name,
        description=payload.description,
        queue=access(user, Queue, payload.queue_id) if payload.queue_id else None,
    )
    return Status(201, script)


@router.get("/scripts/{script_id}", response=ScriptOut)
def get_script(request: HttpRequest, script_id: int) -> Any:
    return access_script(_user(request), script_id)


@router.get("/scripts/{script_id}/versions", response=list[VersionOut])
def list_versions(request: HttpRequest, script_id: int) -> Any:
    return access_script(_user(request), script_id).versions.all()


@router.post("/scripts/{script_id}/versions", response={201: VersionOut})
def publish_version(request: HttpRequest, script_id: int, payload: VersionIn) -> Any:
    user = _author(request)
    script = access_script(user, script_id)
    try:
        version = actions.do_publish_script_version(
            script=script, actor=user, definition=payload.definition
        )
    except ScriptError as error:
        raise HttpError(422, "; ".join(error.errors)) from error
    return Status(201, version)


@router.get("/script-versions/{version_id}", response=VersionOut)
def get_version(request: HttpRequest, version_id: int) -> Any:
    return access_script_version(_user(request), version_id)


@router.post("/script-runs", response={201: RunOut})
def start_run(request: HttpRequest, payload: RunIn) -> Any:
    user = _user(request)
    script = access_script(user, payload.script_id)
    if script.current_version is None:
        raise HttpError(409, "This script has no published version yet")
    interaction = (
        access_interaction(user, payload.interaction_id) if payload.interaction_id else None
    )
    if interaction is not None and not may_fill_in(user, interaction):
        raise HttpError(403, "Only the agent holding this interaction fills its scripts")
    run = actions.do_start_script_run(
        version=script.current_version,
        agent=user,
        interaction=interaction,
        contact=access(user, Contact, payload.contact_id) if payload.contact_id else None,
    )
    return Status(201, runs.run_state(run))


@router.get("/script-runs", response=list[RunOut])
def list_runs(
    request: HttpRequest, interaction_id: int | None = None, contact_id: int | None = None
) -> Any:
    """Filled scripts, newest first: of one interaction, of one contact, or all (100 at most)."""
    rows = runs.runs_of(_user(request), interaction_id=interaction_id, contact_id=contact_id)
    return [runs.run_state(run) for run in rows[:100]]


@router.post("/script-runs/open", response=RunOut)
def open_run(request: HttpRequest, payload: RunOpenIn) -> Any:
    """The run of this script already started in the interaction, or a new one."""
    user = _user(request)
    script = access_script(user, payload.script_id)
    interaction = access_interaction(user, payload.interaction_id)
    if not may_fill_in(user, interaction):
        raise HttpError(403, "Only the agent holding this interaction fills its scripts")
    try:
        run = actions.do_open_script_run(script=script, agent=user, interaction=interaction)
    except actions.KnowledgeError as error:
        raise HttpError(409, str(error)) from error
    return runs.run_state(run)


@router.get("/script-runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> Any:
    return runs.run_state(access_script_run(_user(request), run_id))


@router.post("/script-runs/{run_id}/answers", response=RunOut)
def answer(request: HttpRequest, run_id: int, payload: AnswerIn) -> Any:
    run = access_script_run_to_fill(_user(request), run_id)
    try:
        run = actions.do_answer_script_question(
            run=run, question_id=payload.question_id, raw=payload.answer
        )
    except AnswerError as error:
        raise HttpError(422, str(error)) from error
    return runs.run_state(run)


# Articles -------------------------------------------------------------------------------


def _article_out(article: Article) -> dict[str, Any]:
    version = article.current_version
    return {
        "id": article.pk,
        "category_id": article.category_id,
        "visibility": article.visibility,
        "title": version.title if version else "",
        "body": version.body if version else "",
        "version": version.number if version else 0,
        "updated_at": article.updated_at,
    }


@router.get("/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest) -> Any:
    return visible_to(_user(request), ArticleCategory)


@router.post("/categories", response={201: CategoryOut})
def create_category(request: HttpRequest, payload: CategoryIn) -> Any:
    user = _author(request)
    if visible_to(user, ArticleCategory).filter(name=payload.name).exists():
        raise HttpError(409, "A category with this name exists")
    return Status(201, actions.do_create_article_category(tenant=user.tenant, name=payload.name))


@router.get("/articles", response=list[ArticleOut])
def list_articles(
    request: HttpRequest, category_id: int | None = None, visibility: str | None = None
) -> Any:
    articles = visible_to(_user(request), Article).select_related("current_version")
    if category_id:
        articles = articles.filter(category_id=category_id)
    if visibility:
        articles = articles.filter(visibility=visibility)
    return [_article_out(a) for a in articles[:200]]


def _save_article(request: HttpRequest, payload: ArticleIn, article: Any = None) -> Any:
    user = _author(request)
    if payload.visibility not in Article.Visibility.values:
        raise HttpError(422, "visibility must be internal or public")
    return actions.do_save_article(
        tenant=user.tenant,
        actor=user,
        category=access_article_category(user, payload.category_id),
        title=payload.title,
        body=payload.body,
        visibility=payload.visibility,
        article=article,
    )


@router.post("/articles", response={201: ArticleOut})
def create_article(request: HttpRequest, payload: ArticleIn) -> Any:
    return Status(201, _article_out(_save_article(request, payload)))


@router.get("/articles/{article_id}", response=ArticleOut)
def get_article(request: HttpRequest, article_id: int) -> Any:
    return _article_out(access_article(_user(request), article_id))


@router.put("/articles/{article_id}", response=ArticleOut)
def update_article(request: HttpRequest, article_id: int, payload: ArticleIn) -> Any:
    article = access_article(_user(request), article_id)
    return _article_out(_save_article(request, payload, article))


@router.get("/articles/{article_id}/versions", response=list[ArticleVersionOut])
def article_versions(request: HttpRequest, article_id: int) -> Any:
    return access_article(_user(request), article_id).versions.all()


@router.get("/articles/{article_id}/attachments", response=list[AttachmentOut])
def list_attachments(request: HttpRequest, article_id: int) -> Any:
    return access_article(_user(request), article_id).attachments.defer("content")


@router.post("/articles/{article_id}/attachments", response={201: AttachmentOut})
def attach(request: HttpRequest, article_id: int, file: File[UploadedFile]) -> Any:
    user = _author(request)
    article = access_article(user, article_id)
    if file.size and file.size > MAX_BYTES:
        raise HttpError(413, "The file is larger than 5 MB.")
    try:
        return Status(
            201,
            actions.do_attach_file(
                article=article, actor=user, filename=file.name or "file", content=file.read()
            ),
        )
    except AttachmentError as error:
        raise HttpError(422, str(error)) from error


@router.get("/attachments/{attachment_id}")
def download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(_user(request), attachment_id)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
