"""The contacts and search API: tenant isolation of every endpoint, role rules, validation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pasokh.contacts.actions import do_create_contact_import
from pasokh.contacts.api import router as contacts_router
from pasokh.contacts.models import Contact, ContactIdentity
from pasokh.search.api import router as search_router

pytestmark = pytest.mark.django_db


def _client(tenants, username: str) -> Client:
    client = Client()
    client.force_login(tenants.user(username))
    return client


def _routes(router, prefix):
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for method in operation.methods:
                yield method, prefix + path


BODIES = {
    "/api/contacts/{contact_id}/merge": {"merge_id": 0},
    "/api/contacts/{contact_id}/identities": {"kind": "phone", "value": "09120000000"},
    "/api/contacts/{contact_id}": {"first_name": "x"},
    "/api/contacts/": {"first_name": "x"},
    "/api/search/suggest": {"text": "ارسال سفارش"},
}


def test_every_endpoint_refuses_another_tenants_ids(tenants):
    home_contact = Contact.objects.filter(tenant=tenants.home).first()
    other_home_contact = Contact.objects.filter(tenant=tenants.home).last()
    ids = {
        "contact_id": home_contact.pk,
        "identity_id": ContactIdentity.objects.filter(tenant=tenants.home).first().pk,
        "import_id": do_create_contact_import(
            tenants.user("supervisor"), "a.csv", "نام\nعلی\n".encode()
        ).pk,
    }
    BODIES["/api/contacts/{contact_id}/merge"]["merge_id"] = other_home_contact.pk
    stranger = _client(tenants, "b_supervisor")
    routes = [*_routes(contacts_router, "/api/contacts"), *_routes(search_router, "/api/search")]
    assert len(routes) >= 11
    for method, template in routes:
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)
        body = BODIES.get(template)
        response = getattr(stranger, method.lower())(
            url + ("?q=" + home_contact.first_name if method == "GET" else ""),
            data=body,
            content_type="application/json",
        )
        if "{" in template:
            assert response.status_code == 404, (method, template, response.status_code)
        elif method == "GET":
            assert response.status_code == 200
            assert all(
                row.get("id") != home_contact.pk and row.get("object_id") != str(home_contact.pk)
                for row in response.json()
            ), template
        else:
            assert response.status_code in (200, 201), (method, template)
    assert Contact.objects.filter(pk=other_home_contact.pk).exists()
    assert Contact.objects.filter(tenant=tenants.home, first_name="x").count() == 0


def test_an_agent_creates_searches_and_updates_a_contact(tenants):
    agent = _client(tenants, "agent")
    created = agent.post(
        "/api/contacts/",
        {"first_name": "كاوه", "last_name": "نادری", "phones": ["۰۹۱۲۷۷۷۸۸۸۸"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["first_name"] == "كاوه"
    assert body["identities"][0]["value"] == "+989127778888"
    found = agent.get("/api/contacts/", {"q": "کاوه نادري"}).json()
    assert [row["id"] for row in found] == [body["id"]]
    found = agent.get("/api/search/", {"q": "+98 912 777 8888"}).json()
    assert found[0]["object_id"] == str(body["id"])
    patched = agent.patch(
        f"/api/contacts/{body['id']}",
        {"company": "آوا", "do_not_call": True},
        content_type="application/json",
    )
    assert patched.json()["company"] == "آوا"
    assert patched.json()["do_not_call"] is True


def test_a_phone_in_use_or_a_bad_phone_is_refused_clearly(tenants):
    agent = _client(tenants, "agent")
    taken = ContactIdentity.objects.filter(tenant=tenants.home, kind="phone").first()
    response = agent.post(
        "/api/contacts/",
        {"first_name": "x", "phones": [taken.value]},
        content_type="application/json",
    )
    assert response.status_code == 409
    response = agent.post(
        "/api/contacts/", {"first_name": "x", "phones": ["12"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Contact.objects.filter(tenant=tenants.home, first_name="x").exists()


def test_a_bad_custom_field_value_is_refused(tenants):
    agent = _client(tenants, "agent")
    contact = Contact.objects.filter(tenant=tenants.home).first()
    response = agent.patch(
        f"/api/contacts/{contact.pk}",
        {"custom_fields": {"city": "آتلانتیس"}},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_agents_may_not_merge_or_read_imports(tenants):
    agent = _client(tenants, "agent")
    first, second = Contact.objects.filter(tenant=tenants.home)[:2]
    response = agent.post(
        f"/api/contacts/{first.pk}/merge", {"merge_id": second.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Contact.objects.filter(pk=second.pk).exists()
    contact_import = do_create_contact_import(
        tenants.user("supervisor"), "a.csv", "نام\nعلی\n".encode()
    )
    assert agent.get(f"/api/contacts/imports/{contact_import.pk}").status_code == 403
    supervisor = _client(tenants, "supervisor")
    status = supervisor.get(f"/api/contacts/imports/{contact_import.pk}").json()
    assert (status["total"], status["status"]) == (1, "uploaded")


def test_a_supervisor_merges_and_the_timeline_shows_both_histories(tenants):
    supervisor = _client(tenants, "supervisor")
    first, second = Contact.objects.filter(
        tenant=tenants.home, interactions__isnull=False
    ).distinct()[:2]
    count = first.interactions.count() + second.interactions.count()
    response = supervisor.post(
        f"/api/contacts/{first.pk}/merge", {"merge_id": second.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    items = supervisor.get(f"/api/contacts/{first.pk}/timeline?limit=500").json()
    assert len([i for i in items if i["kind"] == "interaction"]) == count
    assert items == sorted(items, key=lambda item: item["at"], reverse=True)
