"""Writes to canned answers, guided scripts, runs and articles (the only write path here)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pasokh.audit.actions import record_change
from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.knowledge import attachments, placeholders, scriptflow
from pasokh.knowledge.indexing import index_article, index_canned_answer, remove
from pasokh.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleCategory,
    ArticleVersion,
    CannedAnswer,
    Script,
    ScriptRun,
    ScriptVersion,
)
from pasokh.router.models import Queue
from pasokh.tenancy.models import Team, Tenant, User

SHORTCUT = re.compile(r"^/[\w\-‌]{1,39}$")


class KnowledgeError(ValueError):
    """Input that cannot be saved; the message is for the author."""


# Canned answers -------------------------------------------------------------------------


@transaction.atomic
def do_save_canned_answer(
    *,
    tenant: Tenant,
    actor: User | None,
    title: str,
    shortcut: str,
    body: str,
    team: Team | None = None,
    queue: Queue | None = None,
    is_active: bool = True,
    answer: CannedAnswer | None = None,
) -> CannedAnswer:
    if not SHORTCUT.match(shortcut):
        raise KnowledgeError(_("A shortcut starts with / and has no spaces, e.g. /salam."))
    unknown = placeholders.unknown_placeholders(body)
    if unknown:
        raise KnowledgeError(
            _("Unknown placeholders: %(names)s. Known ones: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(placeholders.known_names())}
        )
    taken = CannedAnswer.objects.filter(tenant=tenant, shortcut=shortcut)
    if answer is not None:
        taken = taken.exclude(pk=answer.pk)
    if taken.exists():
        raise KnowledgeError(_("The shortcut %(s)s is already used.") % {"s": shortcut})
    row = answer or CannedAnswer(tenant=tenant)
    row.title, row.shortcut, row.body = title, shortcut, body
    row.team, row.queue, row.is_active = team, queue, is_active
    row.save()
    record_change(
        tenant=tenant,
        actor=actor,
        action="canned_answer.changed" if answer else "canned_answer.created",
        obj=row,
    )
    index_canned_answer(row)
    return row


@transaction.atomic
def do_delete_canned_answer(*, answer: CannedAnswer, actor: User | None) -> None:
    record_change(tenant=answer.tenant, actor=actor, action="canned_answer.deleted", obj=answer)
    tenant, pk = answer.tenant, answer.pk
    answer.delete()
    remove(tenant, "canned_answer", pk)


# Guided scripts -------------------------------------------------------------------------


@transaction.atomic
def do_create_script(
    *,
    tenant: Tenant,
    actor: User | None,
    name: str,
    description: str = "",
    queue: Queue | None = None,
) -> Script:
    script = Script.objects.create(tenant=tenant, name=name, description=description, queue=queue)
    record_change(tenant=tenant, actor=actor, action="script.created", obj=script)
    return script


@transaction.atomic
def do_publish_script_version(
    *, script: Script, actor: User | None, definition: Any, now: datetime | None = None
) -> ScriptVersion:
    """Validate the questions and publish them as the next version (raises ScriptError).

    Versions are never edited: runs keep answering the version they started with.
    """
    checked = scriptflow.validate(definition)
    script = Script.objects.select_for_update().get(pk=script.pk)
    number = (script.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ScriptVersion.objects.create(
        tenant=script.tenant,
        script=script,
        number=number,
        definition=checked,
        published_by=actor,
        published_at=now or timezone.now(),
    )
    script.current_version = version
    script.save(update_fields=["current_version"])
    record_change(
        tenant=script.tenant,
        actor=actor,
        action="script.published",
        obj=script,
        changes={"version": number},
    )
    return version


@transaction.atomic
def do_start_script_run(
    *,
    version: ScriptVersion,
    agent: User,
    interaction: Interaction | None = None,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> ScriptRun:
    if contact is None and interaction is not None:
        contact = interaction.contact
    return ScriptRun.objects.create(
        tenant=version.tenant,
        version=version,
        interaction=interaction,
        contact=contact,
        agent=agent,
        started_at=now or timezone.now(),
    )


@transaction.atomic
def do_open_script_run(
    *, script: Script, agent: User, interaction: Interaction, now: datetime | None = None
) -> ScriptRun:
    """The run of ``script`` already started in this interaction (whatever version it
    answers), or a new one on the current version: opening a script twice fills one form."""
    run = (
        ScriptRun.objects.filter(interaction=interaction, version__script=script)
        .order_by("-started_at", "-pk")
        .first()
    )
    if run is not None:
        return run
    script = Script.objects.select_related("current_version").get(pk=script.pk)
    if script.current_version is None:
        raise KnowledgeError(_("This script has no published version yet."))
    return do_start_script_run(
        version=script.current_version, agent=agent, interaction=interaction, now=now
    )


@transaction.atomic
def do_answer_script_question(
    *, run: ScriptRun, question_id: str, raw: Any, now: datetime | None = None
) -> ScriptRun:
    """Save one answer (raises AnswerError); the run completes when no question is left."""
    run = ScriptRun.objects.select_for_update().get(pk=run.pk)
    definition = run.version.definition
    question = scriptflow.questions_by_id(definition).get(question_id)
    path, _next = scriptflow.walk(definition, run.answers)
    if question is None or (question_id not in path and question_id != _next):
        raise scriptflow.AnswerError(_("This question is not on the script's current path."))
    run.answers = {**run.answers, question_id: scriptflow.clean_answer(question, raw)}
    finished = scriptflow.next_question(definition, run.answers) is None
    run.status = ScriptRun.Status.COMPLETED if finished else ScriptRun.Status.IN_PROGRESS
    run.completed_at = (now or timezone.now()) if finished else None
    run.save()
    return run


# Knowledge-base articles ----------------------------------------------------------------


@transaction.atomic
def do_create_article_category(*, tenant: Tenant, name: str) -> ArticleCategory:
    return ArticleCategory.objects.create(tenant=tenant, name=name)


@transaction.atomic
def do_save_article(
    *,
    tenant: Tenant,
    actor: User | None,
    category: ArticleCategory,
    title: str,
    body: str,
    visibility: str = Article.Visibility.INTERNAL,
    article: Article | None = None,
    now: datetime | None = None,
) -> Article:
    """Create an article or add a new version of it; old versions stay readable."""
    row = article or Article(tenant=tenant)
    row.category, row.visibility = category, visibility
    row.save()
    number = (row.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    row.current_version = ArticleVersion.objects.create(
        tenant=tenant,
        article=row,
        number=number,
        title=title,
        body=body,
        author=actor,
        created_at=now or timezone.now(),
    )
    row.save(update_fields=["current_version", "updated_at"])
    record_change(
        tenant=tenant,
        actor=actor,
        action="article.changed" if article else "article.created",
        obj=row,
        changes={"version": number},
    )
    index_article(row)
    return row


@transaction.atomic
def do_attach_file(
    *, article: Article, actor: User | None, filename: str, content: bytes
) -> ArticleAttachment:
    """Attach a file after checking its size and its real type (raises AttachmentError)."""
    content_type = attachments.sniff(filename, content)
    safe_name = re.sub(r"[^\w.\- ‌]", "_", filename)[-200:] or "file"
    attachment = ArticleAttachment.objects.create(
        tenant=article.tenant,
        article=article,
        filename=safe_name,
        content_type=content_type,
        size=len(content),
        content=content,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    record_change(
        tenant=article.tenant,
        actor=actor,
        action="article.attached",
        obj=article,
        changes={"file": safe_name, "size": len(content)},
    )
    return attachment


@transaction.atomic
def do_describe_script(
    *, script: Script, actor: User | None, name: str, description: str, queue: Queue | None
) -> Script:
    """Rename a script, or give it to a queue (or to every queue, with None)."""
    if (script.name, script.description, script.queue_id) != (
        name,
        description,
        queue.pk if queue else None,
    ):
        script.name, script.description, script.queue = name, description, queue
        script.save(update_fields=["name", "description", "queue"])
        record_change(tenant=script.tenant, actor=actor, action="script.renamed", obj=script)
    return script
