"""Every endpoint of the casework routers (tickets, orders, knowledge) stays in the tenant.

The other tenant's supervisor (a role that passes every role check) calls each endpoint with
ids from the home tenant: one-row endpoints answer 404, lists never show a home row, and
creating endpoints create in the caller's tenant only. The route table is compared with the
routers, so a new endpoint without a row here fails the test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pasokh.config.api import api
from pasokh.conftest import TenantPair
from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleCategory,
    CannedAnswer,
    Script,
    ScriptRun,
    ScriptVersion,
)
from pasokh.orders.models import Order, Product
from pasokh.router.models import Queue
from pasokh.tenancy.api_keys import do_issue_api_key
from pasokh.tickets.models import SlaAlert, SlaPolicy, Ticket, TicketType

pytestmark = pytest.mark.django_db

PREFIXES = ("/tickets/", "/orders/", "/knowledge/")

# (method, path, body, expectation, model of the returned rows)
# expectation: "404", "list" (no home rows), "own" (created in the caller's tenant)
ROUTES: list[tuple[str, str, dict[str, Any] | None, str, Any]] = [
    ("GET", "/tickets/types", None, "list", TicketType),
    ("POST", "/tickets/types", {"code": "iso", "name": "ایزوله"}, "own", TicketType),
    ("GET", "/tickets/sla-policies", None, "list", SlaPolicy),
    (
        "POST",
        "/tickets/sla-policies",
        {
            "ticket_type_id": "{type}",
            "priority": "low",
            "first_response_minutes": 5,
            "resolution_minutes": 50,
        },
        "404",
        None,
    ),
    ("DELETE", "/tickets/sla-policies/{policy}", None, "404", None),
    ("GET", "/tickets/tickets?contact_id={contact}", None, "list", Ticket),
    ("POST", "/tickets/tickets", {"ticket_type_id": "{type}", "subject": "x"}, "404", None),
    ("GET", "/tickets/tickets/{ticket}", None, "404", None),
    ("PATCH", "/tickets/tickets/{ticket}", {"subject": "x"}, "404", None),
    ("POST", "/tickets/tickets/{ticket}/status", {"status": "open"}, "404", None),
    ("POST", "/tickets/tickets/{ticket}/assign", {}, "404", None),
    ("POST", "/tickets/tickets/{ticket}/interactions", {"interaction_id": 1}, "404", None),
    ("GET", "/tickets/tickets/{ticket}/comments", None, "404", None),
    ("POST", "/tickets/tickets/{ticket}/comments", {"body": "x"}, "404", None),
    ("GET", "/tickets/alerts", None, "list", SlaAlert),
    ("GET", "/orders/products", None, "list", Product),
    ("GET", "/orders/products/{product}", None, "404", None),
    ("POST", "/orders/products", {"name": "x", "sku": "ISO-1", "price_rials": 10}, "own", Product),
    (
        "PUT",
        "/orders/products/{product}",
        {"name": "x", "sku": "ISO-2", "price_rials": 1},
        "404",
        None,
    ),
    ("GET", "/orders/orders?contact_id={contact}", None, "list", Order),
    (
        "POST",
        "/orders/orders",
        {"contact_id": "{contact}", "lines": [{"product_id": "{product}", "quantity": 1}]},
        "404",
        None,
    ),
    ("GET", "/orders/orders/{order}", None, "404", None),
    (
        "PUT",
        "/orders/orders/{order}/lines",
        {"lines": [{"product_id": 1, "quantity": 1}]},
        "404",
        None,
    ),
    ("POST", "/orders/orders/{order}/status", {"status": "confirmed"}, "404", None),
    ("GET", "/knowledge/canned-answers", None, "list", CannedAnswer),
    (
        "POST",
        "/knowledge/canned-answers",
        {"title": "x", "shortcut": "/iso", "body": "x"},
        "own",
        CannedAnswer,
    ),
    ("GET", "/knowledge/canned-answers/{canned}", None, "404", None),
    (
        "PUT",
        "/knowledge/canned-answers/{canned}",
        {"title": "x", "shortcut": "/iso2", "body": "x"},
        "404",
        None,
    ),
    ("DELETE", "/knowledge/canned-answers/{canned}", None, "404", None),
    ("POST", "/knowledge/canned-answers/{canned}/render", {}, "404", None),
    ("GET", "/knowledge/scripts", None, "list", Script),
    ("POST", "/knowledge/scripts", {"name": "x"}, "own", Script),
    ("POST", "/knowledge/scripts", {"name": "x", "queue_id": "{queue}"}, "404", None),
    ("GET", "/knowledge/scripts/{script}", None, "404", None),
    ("GET", "/knowledge/scripts/{script}/versions", None, "404", None),
    (
        "POST",
        "/knowledge/scripts/{script}/versions",
        {"definition": {"questions": []}},
        "404",
        None,
    ),
    ("GET", "/knowledge/script-versions/{version}", None, "404", None),
    ("POST", "/knowledge/script-runs", {"script_id": "{script}"}, "404", None),
    ("GET", "/knowledge/script-runs", None, "list", ScriptRun),
    ("GET", "/knowledge/script-runs?interaction_id={interaction}", None, "list", ScriptRun),
    ("GET", "/knowledge/script-runs?contact_id={contact}", None, "list", ScriptRun),
    (
        "POST",
        "/knowledge/script-runs/open",
        {"script_id": "{script}", "interaction_id": "{interaction}"},
        "404",
        None,
    ),
    (
        "POST",
        "/knowledge/script-runs/open",
        {"script_id": "{own_script}", "interaction_id": "{interaction}"},
        "404",
        None,
    ),
    ("GET", "/knowledge/script-runs/{run}", None, "404", None),
    (
        "POST",
        "/knowledge/script-runs/{run}/answers",
        {"question_id": "warranty", "answer": "yes"},
        "404",
        None,
    ),
    ("GET", "/knowledge/categories", None, "list", ArticleCategory),
    ("POST", "/knowledge/categories", {"name": "ایزوله"}, "own", ArticleCategory),
    ("GET", "/knowledge/articles", None, "list", Article),
    (
        "POST",
        "/knowledge/articles",
        {"category_id": "{category}", "title": "x", "body": "x"},
        "404",
        None,
    ),
    ("GET", "/knowledge/articles/{article}", None, "404", None),
    (
        "PUT",
        "/knowledge/articles/{article}",
        {"category_id": "{category}", "title": "x", "body": "x"},
        "404",
        None,
    ),
    ("GET", "/knowledge/articles/{article}/versions", None, "404", None),
    ("GET", "/knowledge/articles/{article}/attachments", None, "404", None),
    ("POST", "/knowledge/articles/{article}/attachments", "FILE", "404", None),  # type: ignore[list-item]
    ("GET", "/knowledge/attachments/{attachment}", None, "404", None),
]


def declared_routes() -> set[tuple[str, str]]:
    found = set()
    for prefix, router in api._routers:
        if prefix.rstrip("/") + "/" not in PREFIXES:
            continue
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    found.add((method, prefix.rstrip("/") + path))
    return found


def as_template(path: str) -> str:
    """The route's shape: placeholders named as the router names them, no query string."""
    names = {
        "type": "type_id",
        "policy": "policy_id",
        "ticket": "ticket_id",
        "product": "product_id",
        "order": "order_id",
        "canned": "answer_id",
        "script": "script_id",
        "version": "version_id",
        "run": "run_id",
        "article": "article_id",
        "attachment": "attachment_id",
    }
    path = path.split("?")[0]
    for short, name in names.items():
        path = path.replace("{" + short + "}", "{" + name + "}")
    return path


def test_the_route_table_covers_every_endpoint() -> None:
    table = {(method, as_template(path)) for method, path, *_ in ROUTES}
    assert table == declared_routes()


def home_ids(home: Any) -> dict[str, int]:
    def first(model: Any) -> int:
        return model.objects.filter(tenant=home).order_by("pk").values_list("pk", flat=True)[0]

    return {
        "type": first(TicketType),
        "policy": first(SlaPolicy),
        "ticket": first(Ticket),
        "product": first(Product),
        "order": first(Order),
        "canned": first(CannedAnswer),
        "script": first(Script),
        "version": first(ScriptVersion),
        "run": first(ScriptRun),
        "category": first(ArticleCategory),
        "article": first(Article),
        "attachment": first(ArticleAttachment),
        "contact": first(Contact),
        "interaction": first(Interaction),
        "queue": first(Queue),
    }


def fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def test_no_endpoint_reaches_another_tenants_rows(tenants: TenantPair, client: Client) -> None:
    _, key = do_issue_api_key(user=tenants.user("b_supervisor"), name="probe")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    ids = {**home_ids(tenants.home), "own_script": home_ids(tenants.other)["script"]}
    for method, path, body, expectation, model in ROUTES:
        url = "/api" + path.format(**ids)
        if body == "FILE":
            upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
            response = client.post(url, {"file": upload}, **headers)
        else:
            response = client.generic(
                method,
                url,
                data="" if body is None else json.dumps(fill(body, ids)),
                content_type="application/json",
                **headers,
            )
        where = f"{method} {path}"
        if expectation == "404":
            assert response.status_code == 404, where
        elif expectation == "list":
            assert response.status_code == 200, where
            home_rows = set(model.objects.filter(tenant=tenants.home).values_list("pk", flat=True))
            assert not {row["id"] for row in response.json()} & home_rows, where
        else:
            assert response.status_code == 201, (where, response.content)
            created = model.objects.get(pk=response.json()["id"])
            assert created.tenant_id == tenants.other.pk, where


AUTHOR_ONLY = [
    ("POST", "/tickets/types", {"code": "x", "name": "x"}),
    (
        "POST",
        "/tickets/sla-policies",
        {"priority": "low", "first_response_minutes": 5, "resolution_minutes": 50},
    ),
    ("POST", "/orders/products", {"name": "x", "sku": "X-1", "price_rials": 10}),
    ("POST", "/knowledge/canned-answers", {"title": "x", "shortcut": "/x", "body": "x"}),
    ("POST", "/knowledge/scripts", {"name": "x"}),
    ("POST", "/knowledge/categories", {"name": "x"}),
]


def test_agents_work_cases_but_only_supervisors_author(tenants: TenantPair, client: Client) -> None:
    agent = tenants.user("agent")
    _, agent_key = do_issue_api_key(user=agent, name="agent")
    _, supervisor_key = do_issue_api_key(user=tenants.user("supervisor"), name="sup")
    ids = home_ids(tenants.home)
    # The agent fills scripts in an interaction they hold (another agent's chat is refused).
    Interaction.objects.filter(pk=ids["interaction"]).update(agent=agent)

    def call(key: str, method: str, path: str, body: dict[str, Any]) -> Any:
        return client.generic(
            method,
            "/api" + path,
            data=json.dumps(fill(body, ids)),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    for method, path, body in AUTHOR_ONLY:
        assert call(agent_key, method, path, body).status_code == 403, path
        assert call(supervisor_key, method, path, body).status_code == 201, path

    ticket = call(
        agent_key,
        "POST",
        "/tickets/tickets",
        {
            "ticket_type_id": "{type}",
            "subject": "گوشی روشن نمی‌شود",
            "contact_id": "{contact}",
            "interaction_ids": ["{interaction}"],
        },
    )
    assert ticket.status_code == 201
    assert ticket.json()["reference"].startswith("TK-")
    refused = call(
        agent_key, "POST", f"/tickets/tickets/{ticket.json()['id']}/status", {"status": "reopened"}
    )
    assert refused.status_code == 409
    order = call(
        agent_key,
        "POST",
        "/orders/orders",
        {"contact_id": "{contact}", "lines": [{"product_id": "{product}", "quantity": 2}]},
    )
    assert order.status_code == 201
    run = call(
        agent_key,
        "POST",
        "/knowledge/script-runs",
        {"script_id": "{script}", "interaction_id": "{interaction}"},
    )
    assert run.status_code == 201
    assert run.json()["next_question"]["id"] == "warranty"
    answered = call(
        agent_key,
        "POST",
        f"/knowledge/script-runs/{run.json()['id']}/answers",
        {"question_id": "warranty", "answer": "no"},
    )
    assert answered.json()["next_question"]["id"] == "paid_repair"
