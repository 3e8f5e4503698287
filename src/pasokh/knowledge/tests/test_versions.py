"""Publishing makes a new version; runs keep the version they started with."""

from __future__ import annotations

import pytest

from pasokh.knowledge.actions import (
    KnowledgeError,
    do_answer_script_question,
    do_create_article_category,
    do_create_script,
    do_publish_script_version,
    do_save_article,
    do_save_canned_answer,
    do_start_script_run,
)
from pasokh.knowledge.demo import WARRANTY_V1, WARRANTY_V2
from pasokh.knowledge.scriptflow import AnswerError, ScriptError
from pasokh.tickets.tests.fixtures import Shop

pytestmark = pytest.mark.django_db


def test_a_run_keeps_its_version_after_the_script_is_edited(shop: Shop) -> None:
    script = do_create_script(tenant=shop.tenant, actor=shop.supervisor, name="تعمیر")
    first = do_publish_script_version(script=script, actor=shop.supervisor, definition=WARRANTY_V1)
    run = do_start_script_run(version=first, agent=shop.agent)
    second = do_publish_script_version(script=script, actor=shop.supervisor, definition=WARRANTY_V2)
    script.refresh_from_db()
    assert (first.number, second.number, script.current_version) == (1, 2, second)

    run = do_answer_script_question(run=run, question_id="warranty", raw="yes")
    run = do_answer_script_question(run=run, question_id="serial", raw="R58N")
    assert run.version == first
    assert run.status == "completed"
    assert run.answers == {"warranty": "yes", "serial": "R58N"}


def test_an_invalid_definition_publishes_nothing(shop: Shop) -> None:
    script = do_create_script(tenant=shop.tenant, actor=shop.supervisor, name="تعمیر")
    looping = {"start": "a", "questions": [{"id": "a", "text": "?", "type": "text", "next": "a"}]}
    with pytest.raises(ScriptError):
        do_publish_script_version(script=script, actor=shop.supervisor, definition=looping)
    assert script.versions.count() == 0


def test_a_question_off_the_path_cannot_be_answered(shop: Shop) -> None:
    script = do_create_script(tenant=shop.tenant, actor=shop.supervisor, name="تعمیر")
    version = do_publish_script_version(
        script=script, actor=shop.supervisor, definition=WARRANTY_V1
    )
    run = do_start_script_run(version=version, agent=shop.agent)
    with pytest.raises(AnswerError):
        do_answer_script_question(run=run, question_id="serial", raw="R58N")


def test_an_article_keeps_its_old_versions(shop: Shop) -> None:
    category = do_create_article_category(tenant=shop.tenant, name="گارانتی")
    article = do_save_article(
        tenant=shop.tenant, actor=shop.supervisor, category=category, title="الف", body="یک"
    )
    do_save_article(
        tenant=shop.tenant,
        actor=shop.supervisor,
        category=category,
        title="ب",
        body="دو",
        article=article,
    )
    assert [v.title for v in article.versions.all()] == ["ب", "الف"]
    assert article.current_version.number == 2


@pytest.mark.parametrize(
    ("shortcut", "body"),
    [("salam", "سلام"), ("/two words", "سلام"), ("/ok", "{{ contact.national_id }}")],
)
def test_canned_answers_need_a_shortcut_and_known_placeholders(
    shop: Shop, shortcut: str, body: str
) -> None:
    with pytest.raises(KnowledgeError):
        do_save_canned_answer(
            tenant=shop.tenant, actor=shop.supervisor, title="t", shortcut=shortcut, body=body
        )
