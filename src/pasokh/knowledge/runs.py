"""Script runs as the runner, the API, the desk and the contact timeline see them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from pasokh.interactions.models import Interaction
from pasokh.knowledge import scriptflow
from pasokh.knowledge.models import Script, ScriptRun
from pasokh.persian.digits import to_persian_digits
from pasokh.persian.jalali import format_jalali
from pasokh.tenancy.access import visible_to

SCRIPTS_LIMIT = 100


def run_state(run: ScriptRun) -> dict[str, Any]:
    definition = run.version.definition
    path, upcoming = scriptflow.walk(definition, run.answers)
    questions = scriptflow.questions_by_id(definition)
    return {
        "id": run.pk,
        "script_id": run.version.script_id,
        "version_id": run.version_id,
        "version_number": run.version.number,
        "interaction_id": run.interaction_id,
        "contact_id": run.contact_id,
        "status": run.status,
        "answers": {qid: run.answers[qid] for qid in path},
        "path": path,
        "next_question": questions.get(upcoming) if upcoming else None,
        "definition": definition,
    }


def shown_answer(question: dict[str, Any], value: Any) -> str:
    """An answer as a reader sees it, in the active language (yes/no, Jalali dates, digits)."""
    kind = question.get("type")
    persian = translation.get_language() == "fa"
    if kind == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    if kind == "date" and persian:
        try:
            return format_jalali(date.fromisoformat(str(value)), "%Y/%m/%d")
        except ValueError:
            return str(value)
    if kind == "number" and persian:
        return to_persian_digits(str(value))
    return str(value)


def answered_lines(run: ScriptRun) -> list[tuple[str, str]]:
    """(question, answer) along the path the answers took; guidance-only steps left out."""
    definition = run.version.definition
    questions = scriptflow.questions_by_id(definition)
    path, _upcoming = scriptflow.walk(definition, run.answers)
    return [
        (questions[qid]["text"], shown_answer(questions[qid], run.answers[qid]))
        for qid in path
        if questions[qid].get("type") != "info"
    ]


def scripts_for_interaction(user: Any, interaction: Interaction) -> list[dict[str, Any]]:
    """Published, active scripts for a conversation: its queue's own first, then those for
    every queue, then the other queues' ones; each with the run already started here."""
    scripts = (
        visible_to(user, Script)
        .filter(is_active=True, current_version__isnull=False)
        .select_related("queue", "current_version")
        .order_by("name")[:SCRIPTS_LIMIT]
    )
    runs: dict[int, ScriptRun] = {}
    for run in (
        visible_to(user, ScriptRun)
        .filter(interaction=interaction)
        .select_related("version")
        .order_by("started_at", "pk")
    ):
        runs[run.version.script_id] = run  # the latest run of each script wins

    def rank(script: Script) -> int:
        if script.queue_id is None:
            return 1
        return 0 if script.queue_id == interaction.queue_id else 2

    return [
        {
            "id": script.pk,
            "name": script.name,
            "description": script.description,
            "queue": script.queue.name if script.queue else "",
            "for_this_queue": script.queue_id is not None
            and script.queue_id == interaction.queue_id,
            "run": (
                {"id": runs[script.pk].pk, "status": runs[script.pk].status}
                if script.pk in runs
                else None
            ),
        }
        for script in sorted(scripts, key=rank)
    ]


def runs_of(user: Any, *, interaction_id: int | None, contact_id: int | None) -> Any:
    """Runs visible to ``user``, newest first, narrowed to an interaction and/or a contact."""
    rows = visible_to(user, ScriptRun).select_related("version")
    if interaction_id is not None:
        rows = rows.filter(interaction_id=interaction_id)
    if contact_id is not None:
        rows = rows.filter(Q(contact_id=contact_id) | Q(interaction__contact_id=contact_id))
    return rows.order_by("-started_at", "-pk")
