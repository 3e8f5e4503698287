"""Guided scripts as data: validating a tree of questions and walking it with the answers.

A definition is JSON::

    {"start": "warranty",
     "questions": [
       {"id": "warranty", "text": "Is the device under warranty?", "type": "yes_no",
        "branches": {"yes": "serial", "no": "paid_repair"}},
       {"id": "serial", "text": "Serial number?", "type": "text", "next": null},
       {"id": "paid_repair", "text": "Offer paid repair.", "type": "info", "next": null}]}

A question goes to ``branches[answer]`` when there is one, else to ``next`` (null ends the
script). Only yes/no and choice questions branch. Everything here is a pure function of the
definition and the answers: the runner page, the API and the tests all use the same walk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from pasokh.persian.digits import parse_decimal, to_ascii_digits
from pasokh.persian.jalali import from_jalali

TYPES = ("yes_no", "choice", "text", "number", "date", "info")
BRANCHING = ("yes_no", "choice")
YES_NO = ("yes", "no")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
MAX_QUESTIONS = 200
MAX_TEXT = 1000
MAX_ANSWER = 2000


class ScriptError(ValueError):
    """A definition that cannot be published; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class AnswerError(ValueError):
    """An answer of the wrong kind for its question."""


def questions_by_id(definition: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in definition.get("questions", []) if isinstance(q, dict)}


def answer_keys(question: Mapping[str, Any]) -> tuple[str, ...]:
    """The answers a question can branch on."""
    if question.get("type") == "yes_no":
        return YES_NO
    if question.get("type") == "choice":
        return tuple(str(c) for c in question.get("choices", []))
    return ()


def targets(question: Mapping[str, Any]) -> list[str]:
    found = [t for t in (question.get("branches") or {}).values() if t]
    if question.get("next"):
        found.append(question["next"])
    return found


def _check_question(q: Any, index: int, errors: list[str]) -> None:
    where = _("Question %(n)s") % {"n": index + 1}
    if not isinstance(q, dict):
        errors.append(_("%(where)s is not a question.") % {"where": where})
        return
    if not isinstance(q.get("id"), str) or not ID_PATTERN.match(q["id"]):
        errors.append(
            _("%(where)s needs a short id of latin letters and digits.") % {"where": where}
        )
    text = q.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        errors.append(_("%(where)s needs a text (at most 1000 characters).") % {"where": where})
    if q.get("type") not in TYPES:
        errors.append(_("%(where)s has an unknown answer type.") % {"where": where})
        return
    if q["type"] == "choice":
        choices = q.get("choices")
        if (
            not isinstance(choices, list)
            or len(choices) < 2
            or len(set(map(str, choices))) != len(choices)
            or not all(isinstance(c, str) and c.strip() and len(c) <= 200 for c in choices)
        ):
            errors.append(_("%(where)s needs at least two different choices.") % {"where": where})
    branches = q.get("branches") or {}
    if not isinstance(branches, dict):
        errors.append(_("%(where)s has unreadable branches.") % {"where": where})
        return
    if branches and q["type"] not in BRANCHING:
        errors.append(_("%(where)s cannot branch on this answer type.") % {"where": where})
    for answer in branches:
        if answer not in answer_keys(q):
            errors.append(
                _("%(where)s branches on “%(answer)s”, which is not one of its answers.")
                % {"where": where, "answer": answer}
            )


def _find_cycle(start: str, by_id: Mapping[str, Mapping[str, Any]]) -> list[str] | None:
    """The first loop reachable from ``start`` (as a list of ids), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in targets(by_id[node]):
            if target not in by_id:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    return visit(start)


def reachable(start: str, by_id: Mapping[str, Mapping[str, Any]]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen or node not in by_id:
            continue
        seen.add(node)
        stack.extend(targets(by_id[node]))
    return seen


def validate(definition: Any) -> dict[str, Any]:
    """The definition, checked: ids, texts, types, no dangling target, no loop, no orphan."""
    if not isinstance(definition, dict) or not isinstance(definition.get("questions"), list):
        raise ScriptError([_("A script needs a list of questions.")])
    questions = definition["questions"]
    errors: list[str] = []
    if not questions:
        errors.append(_("A script needs at least one question."))
    if len(questions) > MAX_QUESTIONS:
        errors.append(_("A script can have at most 200 questions."))
    for index, q in enumerate(questions):
        _check_question(q, index, errors)
    if errors:
        raise ScriptError(errors)
    by_id = questions_by_id(definition)
    if len(by_id) != len(questions):
        errors.append(_("Two questions have the same id."))
    start = definition.get("start") or questions[0]["id"]
    if start not in by_id:
        errors.append(_("The first question “%(id)s” does not exist.") % {"id": start})
    for q in questions:
        for target in targets(q):
            if target not in by_id:
                errors.append(
                    _("“%(id)s” leads to “%(target)s”, which does not exist.")
                    % {"id": q["id"], "target": target}
                )
    if errors:
        raise ScriptError(errors)
    cycle = _find_cycle(start, by_id)
    if cycle:
        errors.append(_("The questions loop: %(path)s.") % {"path": " → ".join(cycle)})
    for orphan in sorted(set(by_id) - reachable(start, by_id)):
        errors.append(_("“%(id)s” can never be reached.") % {"id": orphan})
    if errors:
        raise ScriptError(errors)
    return {"start": start, "questions": questions}


def follow(question: Mapping[str, Any], answer: Any) -> str | None:
    """Where a question leads for an answer: its branch for that answer, else ``next``."""
    branches = question.get("branches") or {}
    target = branches.get(str(answer)) if question.get("type") in BRANCHING else None
    return target or question.get("next") or None


def walk(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> tuple[list[str], str | None]:
    """The questions answered along the current path, and the next one to ask (None: done).

    Answers left over from a branch the agent has since left are ignored, not deleted, so
    going back and changing an answer never loses text.
    """
    by_id = questions_by_id(definition)
    path: list[str] = []
    current: str | None = definition.get("start")
    while current is not None and current in by_id and current not in path:
        if current not in answers:
            return path, current
        path.append(current)
        current = follow(by_id[current], answers[current])
    return path, None


def next_question(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> str | None:
    return walk(definition, answers)[1]


def clean_answer(question: Mapping[str, Any], raw: Any) -> Any:
    """The stored form of an answer (Persian digits and Jalali dates accepted) or AnswerError."""
    kind = question["type"]
    text = str(raw if raw is not None else "").strip()
    if kind == "info":
        return True
    if kind == "yes_no":
        if text not in YES_NO:
            raise AnswerError(_("Answer yes or no."))
        return text
    if kind == "choice":
        if text not in answer_keys(question):
            raise AnswerError(_("Pick one of the choices."))
        return text
    if not text:
        raise AnswerError(_("This question needs an answer."))
    if kind == "text":
        if len(text) > MAX_ANSWER:
            raise AnswerError(_("The answer is too long (at most 2000 characters)."))
        return text
    if kind == "number":
        try:
            return str(parse_decimal(text))
        except (ValueError, ArithmeticError) as error:
            raise AnswerError(_("Enter a number.")) from error
    return _parse_date(text).isoformat()


def _parse_date(text: str) -> date:
    """YYYY-MM-DD (Gregorian) or YYYY/MM/DD (Jalali when the year is before 1700)."""
    match = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", to_ascii_digits(text))
    if not match:
        raise AnswerError(_("Enter a date like 1405/01/15 or 2026-04-04."))
    year, month, day = (int(part) for part in match.groups())
    try:
        return from_jalali(year, month, day) if year < 1700 else date(year, month, day)
    except ValueError as error:
        raise AnswerError(_("This date does not exist.")) from error
