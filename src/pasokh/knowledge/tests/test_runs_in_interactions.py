"""Scripts filled during an interaction: one run per script and interaction, offered by queue,
on the contact's timeline, and reachable only inside the tenant."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from pasokh.contacts.actions import do_create_contact
from pasokh.contacts.timeline import contact_timeline
from pasokh.interactions.models import Interaction
from pasokh.knowledge.actions import (
    do_answer_script_question,
    do_create_script,
    do_open_script_run,
    do_publish_script_version,
)
from pasokh.knowledge.demo import WARRANTY_V1, WARRANTY_V2
from pasokh.knowledge.models import Script, ScriptRun
from pasokh.knowledge.runs import scripts_for_interaction
from pasokh.router.actions import do_create_queue
from pasokh.tickets.tests.fixtures import Shop, make_shop

pytestmark = pytest.mark.django_db


def published(shop: Shop, name: str, **options: Any) -> Script:
    script = do_create_script(tenant=shop.tenant, actor=shop.supervisor, name=name, **options)
    do_publish_script_version(script=script, actor=shop.supervisor, definition=WARRANTY_V1)
    script.refresh_from_db()
    return script


def chat(shop: Shop, queue: Any = None) -> Interaction:
    contact = do_create_contact(tenant=shop.tenant, first_name="سارا", last_name="محمدی")
    return Interaction.objects.create(
        tenant=shop.tenant,
        contact=contact,
        queue=queue,
        channel="chat",
        agent=shop.agent,
        arrived_at=timezone.now(),
    )


def test_opening_a_script_twice_in_an_interaction_fills_one_run(shop: Shop) -> None:
    script = published(shop, "گارانتی")
    interaction = chat(shop)
    first = do_open_script_run(script=script, agent=shop.agent, interaction=interaction)
    do_answer_script_question(run=first, question_id="warranty", raw="yes")
    do_publish_script_version(script=script, actor=shop.supervisor, definition=WARRANTY_V2)
    again = do_open_script_run(script=script, agent=shop.agent, interaction=interaction)
    assert again.pk == first.pk
    assert again.version.number == 1, "the run keeps the version it started with"
    assert again.contact == interaction.contact
    other = do_open_script_run(script=script, agent=shop.agent, interaction=chat(shop))
    assert other.pk != first.pk
    assert other.version.number == 2


def test_the_queues_own_scripts_come_first_then_general_ones(shop: Shop) -> None:
    sales = do_create_queue(tenant=shop.tenant, code="sales", name="فروش", channels=["chat"])
    support = do_create_queue(
        tenant=shop.tenant, code="support", name="پشتیبانی", channels=["chat"]
    )
    published(shop, "الف فروش", queue=sales)
    published(shop, "ب عمومی")
    own = published(shop, "پ پشتیبانی", queue=support)
    do_create_script(tenant=shop.tenant, actor=shop.supervisor, name="ت بدون نسخه")
    retired = published(shop, "ث بازنشسته")
    Script.objects.filter(pk=retired.pk).update(is_active=False)
    interaction = chat(shop, support)
    run = do_open_script_run(script=own, agent=shop.agent, interaction=interaction)
    do_answer_script_question(run=run, question_id="warranty", raw="no")
    do_answer_script_question(run=run, question_id="paid_repair", raw=True)

    offered = scripts_for_interaction(shop.agent, interaction)
    assert [s["name"] for s in offered] == ["پ پشتیبانی", "ب عمومی", "الف فروش"]
    assert [s["for_this_queue"] for s in offered] == [True, False, False]
    assert offered[0]["run"] == {"id": run.pk, "status": "completed"}
    assert offered[1]["run"] is None


def test_the_answers_along_the_taken_branch_are_on_the_contacts_timeline(shop: Shop) -> None:
    script = published(shop, "گارانتی گوشی")
    interaction = chat(shop)
    run = do_open_script_run(script=script, agent=shop.agent, interaction=interaction)
    do_answer_script_question(run=run, question_id="warranty", raw="no")
    do_answer_script_question(run=run, question_id="warranty", raw="yes")  # changed its mind
    do_answer_script_question(run=run, question_id="serial", raw="R58N۱۲۳")
    with translation.override("fa"):
        items = [i for i in contact_timeline(shop.agent, interaction.contact) if i.kind == "script"]
    assert len(items) == 1
    assert items[0].title == "اسکریپت راهنما: گارانتی گوشی"
    assert items[0].detail.splitlines() == [
        "آیا دستگاه گارانتی دارد؟ — بله",
        "شماره سریال دستگاه را بپرسید. — R58N۱۲۳",
    ]
    assert items[0].url == f"/knowledge/scripts/{script.pk}/run/?run={run.pk}"


def test_the_runs_api_opens_lists_and_answers_inside_the_tenant(shop: Shop) -> None:
    script = published(shop, "گارانتی")
    interaction = chat(shop)
    client = Client()
    client.force_login(shop.agent)
    body = {"script_id": script.pk, "interaction_id": interaction.pk}
    opened = client.post("/api/knowledge/script-runs/open", body, content_type="application/json")
    assert opened.status_code == 200, opened.content
    run_id = opened.json()["id"]
    again = client.post("/api/knowledge/script-runs/open", body, content_type="application/json")
    assert again.json()["id"] == run_id
    answered = client.post(
        f"/api/knowledge/script-runs/{run_id}/answers",
        {"question_id": "warranty", "answer": "no"},
        content_type="application/json",
    )
    assert answered.json()["next_question"]["id"] == "paid_repair"
    listed = client.get(f"/api/knowledge/script-runs?interaction_id={interaction.pk}").json()
    assert [(r["id"], r["answers"]) for r in listed] == [(run_id, {"warranty": "no"})]
    by_contact = client.get(f"/api/knowledge/script-runs?contact_id={interaction.contact_id}")
    assert [r["id"] for r in by_contact.json()] == [run_id]

    stranger = make_shop("other-shop")
    outsider = Client()
    outsider.force_login(stranger.agent)
    assert outsider.get(f"/api/knowledge/script-runs?interaction_id={interaction.pk}").json() == []
    assert outsider.get(f"/api/knowledge/script-runs/{run_id}").status_code == 404
    own = published(stranger, "دیگری")
    foreign = {"script_id": own.pk, "interaction_id": interaction.pk}
    response = outsider.post(
        "/api/knowledge/script-runs/open", foreign, content_type="application/json"
    )
    assert response.status_code == 404
    assert ScriptRun.objects.filter(tenant=stranger.tenant).count() == 0


def test_a_script_without_a_version_cannot_be_opened(shop: Shop) -> None:
    script = do_create_script(tenant=shop.tenant, actor=shop.supervisor, name="پیش‌نویس")
    client = Client()
    client.force_login(shop.agent)
    response = client.post(
        "/api/knowledge/script-runs/open",
        {"script_id": script.pk, "interaction_id": chat(shop).pk},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_the_runner_page_shows_a_filled_run_only_under_its_own_script(shop: Shop) -> None:
    script, other = published(shop, "گارانتی"), published(shop, "دیگری")
    interaction = chat(shop)
    run = do_open_script_run(script=script, agent=shop.agent, interaction=interaction)
    client = Client()
    client.force_login(shop.agent)
    page = client.get(f"/knowledge/scripts/{script.pk}/run/?run={run.pk}")
    assert page.status_code == 200
    assert f'data-run="{run.pk}"' in page.content.decode()
    assert f'data-interaction="{interaction.pk}"' in page.content.decode()
    assert client.get(f"/knowledge/scripts/{other.pk}/run/?run={run.pk}").status_code == 404
    stranger = make_shop("other-shop")
    client.force_login(stranger.agent)
    assert client.get(f"/knowledge/scripts/{script.pk}/run/?run={run.pk}").status_code == 404


def test_the_editor_gives_a_script_to_a_queue(shop: Shop) -> None:
    queue = do_create_queue(tenant=shop.tenant, code="support", name="پشتیبانی", channels=["chat"])
    client = Client()
    client.force_login(shop.supervisor)
    form = {
        "name": "گارانتی",
        "description": "",
        "queue": str(queue.pk),
        "definition": json.dumps(WARRANTY_V1),
    }
    assert client.post("/knowledge/scripts/new/", form).status_code == 302
    script = Script.objects.get(tenant=shop.tenant, name="گارانتی")
    assert script.queue == queue
    form["queue"] = ""
    assert client.post(f"/knowledge/scripts/{script.pk}/edit/", form).status_code == 302
    script.refresh_from_db()
    assert script.queue is None
    assert script.versions.count() == 2


def test_only_the_agent_holding_the_chat_or_a_supervisor_fills_its_scripts(shop: Shop) -> None:
    from pasokh.tenancy.actions import do_create_user

    script = published(shop, "گارانتی")
    interaction = chat(shop)  # held by shop.agent
    colleague = do_create_user(
        tenant=shop.tenant, username="colleague", password="x-pass-1405", role="agent"
    )
    body = {"script_id": script.pk, "interaction_id": interaction.pk}
    answer = {"question_id": "warranty", "answer": "no"}

    other = Client()
    other.force_login(colleague)
    for path in ("/api/knowledge/script-runs/open", "/api/knowledge/script-runs"):
        assert other.post(path, body, content_type="application/json").status_code == 403
    holder = Client()
    holder.force_login(shop.agent)
    run_id = holder.post(
        "/api/knowledge/script-runs/open", body, content_type="application/json"
    ).json()["id"]
    refused = other.post(
        f"/api/knowledge/script-runs/{run_id}/answers", answer, content_type="application/json"
    )
    assert refused.status_code == 403
    assert other.get(f"/api/knowledge/script-runs/{run_id}").status_code == 200  # may read
    assert ScriptRun.objects.get(pk=run_id).answers == {}

    supervisor = Client()
    supervisor.force_login(shop.supervisor)
    helped = supervisor.post(
        f"/api/knowledge/script-runs/{run_id}/answers", answer, content_type="application/json"
    )
    assert helped.status_code == 200, helped.content
    assert ScriptRun.objects.get(pk=run_id).answers == {"warranty": "no"}
