"""Guided scripts branch by answer, refuse loops and dangling targets, and keep versions."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pasokh.knowledge import scriptflow
from pasokh.knowledge.demo import WARRANTY_V1, WARRANTY_V2
from pasokh.knowledge.scriptflow import AnswerError, ScriptError, next_question, validate, walk


def test_the_warranty_script_asks_the_serial_number_when_under_warranty() -> None:
    assert next_question(WARRANTY_V1, {}) == "warranty"
    assert next_question(WARRANTY_V1, {"warranty": "yes"}) == "serial"
    assert next_question(WARRANTY_V1, {"warranty": "yes", "serial": "R58N1"}) is None


def test_the_warranty_script_offers_paid_repair_without_warranty() -> None:
    assert next_question(WARRANTY_V1, {"warranty": "no"}) == "paid_repair"
    assert next_question(WARRANTY_V1, {"warranty": "no", "paid_repair": True}) is None


def test_a_deeper_tree_branches_on_a_choice_and_rejoins() -> None:
    answers: dict[str, Any] = {"warranty": "yes", "serial": "R58N1"}
    assert next_question(WARRANTY_V2, answers) == "fault"
    assert next_question(WARRANTY_V2, {**answers, "fault": "باتری"}) == "pickup"
    assert next_question(WARRANTY_V2, {**answers, "fault": "سایر"}) == "describe"
    path, upcoming = walk(WARRANTY_V2, {**answers, "fault": "سایر", "describe": "صدا ندارد"})
    assert (path, upcoming) == (["warranty", "serial", "fault", "describe"], "pickup")


def test_answers_left_on_an_abandoned_branch_are_ignored() -> None:
    path, upcoming = walk(WARRANTY_V1, {"warranty": "no", "serial": "R58N1"})
    assert (path, upcoming) == (["warranty"], "paid_repair")


def test_a_valid_script_passes_validation() -> None:
    assert validate(copy.deepcopy(WARRANTY_V2))["start"] == "warranty"


def broken(change: Any) -> dict[str, Any]:
    definition = copy.deepcopy(WARRANTY_V2)
    change(definition)
    return definition


def errors_of(definition: Any) -> str:
    with pytest.raises(ScriptError) as caught:
        validate(definition)
    return " ".join(caught.value.errors)


def test_a_branch_to_a_missing_question_is_refused() -> None:
    definition = broken(lambda d: d["questions"][0]["branches"].update(no="nowhere"))
    assert "nowhere" in errors_of(definition)


def test_a_loop_is_refused() -> None:
    definition = broken(lambda d: d["questions"][4].update(next="warranty"))
    assert "warranty → serial → fault" in errors_of(definition)


def test_a_question_that_can_never_be_reached_is_refused() -> None:
    def orphan(d: dict[str, Any]) -> None:
        d["questions"].append({"id": "lost", "text": "?", "type": "text", "next": None})

    assert "lost" in errors_of(broken(orphan))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["questions"][1].update(id="serial"),  # nothing changes: control
    ],
)
def test_the_control_definition_is_valid(change: Any) -> None:
    validate(broken(change))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["questions"][1].update(id="warranty"),
        lambda d: d["questions"][0].update(type="rating"),
        lambda d: d["questions"][0].update(text=""),
        lambda d: d["questions"][2].update(choices=["تنها"]),
        lambda d: d["questions"][1].update(branches={"yes": "fault"}),
        lambda d: d["questions"][0]["branches"].update(maybe="serial"),
        lambda d: d.update(start="missing"),
        lambda d: d.update(questions=[]),
    ],
    ids=[
        "duplicate id",
        "bad type",
        "no text",
        "one choice",
        "text branches",
        "bad key",
        "start",
        "empty",
    ],
)
def test_broken_definitions_are_refused(change: Any) -> None:
    with pytest.raises(ScriptError):
        validate(broken(change))


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("number", "۱۲٫۵", "12.5"),
        ("number", "42", "42"),
        ("date", "۱۴۰۵/۰۱/۱۵", "2026-04-04"),
        ("date", "2026-04-04", "2026-04-04"),
        ("text", "  سریال R58N  ", "سریال R58N"),
        ("yes_no", "yes", "yes"),
    ],
)
def test_answers_are_cleaned_by_type(kind: str, raw: str, stored: str) -> None:
    assert scriptflow.clean_answer({"type": kind}, raw) == stored


@pytest.mark.parametrize(
    ("question", "raw"),
    [
        ({"type": "number"}, "دو"),
        ({"type": "date"}, "1405/13/01"),
        ({"type": "yes_no"}, "maybe"),
        ({"type": "choice", "choices": ["a", "b"]}, "c"),
        ({"type": "text"}, "   "),
    ],
)
def test_wrong_answers_are_refused(question: dict[str, Any], raw: str) -> None:
    with pytest.raises(AnswerError):
        scriptflow.clean_answer(question, raw)
