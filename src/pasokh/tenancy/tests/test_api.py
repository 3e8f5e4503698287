"""The API authenticates by session or API key and answers within the caller's tenant."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.conftest import TenantPair
from pasokh.tenancy.api_keys import do_issue_api_key
from pasokh.tenancy.models import ApiKey

pytestmark = pytest.mark.django_db


def test_an_api_key_acts_as_its_user(tenants: TenantPair, client: Client) -> None:
    _, key = do_issue_api_key(user=tenants.user("supervisor"), name="wallboard")
    response = client.get("/api/tenancy/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["role"], body["tenant"]["slug"]) == (
        "supervisor",
        "supervisor",
        "diginoo",
    )


def test_only_a_digest_of_the_key_is_stored(tenants: TenantPair) -> None:
    row, key = do_issue_api_key(user=tenants.user("admin"), name="crm")
    secret = key.split("_", 2)[2]
    assert secret not in row.digest
    assert ApiKey.objects.filter(digest__contains=secret).count() == 0


@pytest.mark.parametrize("presented", ["", "psk_nope_nope", "Bearer", "psk_" + "a" * 60])
def test_a_wrong_or_revoked_key_is_refused(
    tenants: TenantPair, client: Client, presented: str
) -> None:
    assert (
        client.get("/api/tenancy/me", HTTP_AUTHORIZATION=f"Bearer {presented}").status_code == 401
    )


def test_a_revoked_key_is_refused(tenants: TenantPair, client: Client) -> None:
    row, key = do_issue_api_key(user=tenants.user("admin"), name="old")
    row.revoked = True
    row.save()
    assert client.get("/api/tenancy/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_session_works_for_the_browser_and_teams_stay_in_the_tenant(
    tenants: TenantPair, client: Client
) -> None:
    client.force_login(tenants.user("b_agent"))
    ids = {team["id"] for team in client.get("/api/tenancy/teams").json()}
    assert ids
    assert ids == set(tenants.other.team_set.values_list("id", flat=True))


def test_the_openapi_schema_is_served(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("admin"))
    schema = client.get("/api/openapi.json").json()
    assert "/api/tenancy/me" in schema["paths"]
