"""The state of a script run as the runner page and the API see it."""

from __future__ import annotations

from typing import Any

from pasokh.knowledge import scriptflow
from pasokh.knowledge.models import ScriptRun


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
