"""The staffing endpoint gives pasokh.wfm's figures, reads Persian digits, explains bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.conftest import TenantPair
from pasokh.wfm import StaffingTarget, required_agents

pytestmark = pytest.mark.django_db

CALL_CENTRE_HELPER = {
    "calls": 100,
    "interval_s": 1800,
    "aht_s": 180,
    "service_level": 0.8,
    "target_s": 20,
    "max_occupancy": 0.85,
    "shrinkage": 0.3,
}


def signed_in(client: Client, tenants: TenantPair, username: str = "supervisor") -> Client:
    client.force_login(tenants.user(username))
    return client


def test_the_endpoint_matches_wfm_for_the_call_centre_helper_example(
    tenants: TenantPair, client: Client
) -> None:
    response = signed_in(client, tenants).post(
        "/api/planning/staffing", CALL_CENTRE_HELPER, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    target = StaffingTarget(0.8, 20, max_occupancy=0.85, shrinkage=0.3)
    expected = required_agents(100, 1800, 180, target)
    assert (body["raw_agents"], body["agents"]) == (14, 20)
    assert body["model"] == "erlang_c"
    assert body["service_level"] == pytest.approx(expected.metrics.service_level, abs=1e-12)
    assert body["asa"] == pytest.approx(expected.metrics.asa, abs=1e-12)
    assert body["occupancy"] == pytest.approx(10 / 14)
    assert body["p_wait"] == pytest.approx(0.174132, abs=1e-6)


def test_persian_digits_are_read_as_numbers(tenants: TenantPair, client: Client) -> None:
    persian = {**CALL_CENTRE_HELPER, "calls": "۱۰۰", "aht_s": "۱۸۰", "shrinkage": "۰٫۳"}
    body = (
        signed_in(client, tenants)
        .post("/api/planning/staffing", persian, content_type="application/json")
        .json()
    )
    assert (body["raw_agents"], body["agents"]) == (14, 20)


def test_a_patience_switches_to_erlang_a_with_its_abandonment(
    tenants: TenantPair, client: Client
) -> None:
    payload = {**CALL_CENTRE_HELPER, "patience_s": "300", "max_occupancy": None}
    body = (
        signed_in(client, tenants)
        .post("/api/planning/staffing", payload, content_type="application/json")
        .json()
    )
    assert body["model"] == "erlang_a"
    assert body["raw_agents"] == 13
    assert body["p_abandon"] == pytest.approx(0.024963, abs=1e-6)


def test_the_curve_surrounds_the_answer_and_rises(tenants: TenantPair, client: Client) -> None:
    body = (
        signed_in(client, tenants)
        .post("/api/planning/staffing", CALL_CENTRE_HELPER, content_type="application/json")
        .json()
    )
    agents = [point["agents"] for point in body["curve"]]
    levels = [point["service_level"] for point in body["curve"]]
    assert min(agents) < 14 < max(agents)
    assert levels == sorted(levels)
    assert levels[agents.index(14)] == pytest.approx(body["service_level"])


def test_bad_fields_are_named_one_by_one(tenants: TenantPair, client: Client) -> None:
    payload = {**CALL_CENTRE_HELPER, "calls": "ten", "shrinkage": "1.5", "aht_s": ""}
    response = signed_in(client, tenants).post(
        "/api/planning/staffing", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"calls", "shrinkage", "aht_s"}


def test_no_calls_need_no_agents(tenants: TenantPair, client: Client) -> None:
    body = (
        signed_in(client, tenants)
        .post(
            "/api/planning/staffing",
            {**CALL_CENTRE_HELPER, "calls": "0"},
            content_type="application/json",
        )
        .json()
    )
    assert (body["raw_agents"], body["agents"], body["curve"]) == (0, 0, [])


def test_the_calculator_page_renders_for_a_supervisor(tenants: TenantPair, client: Client) -> None:
    response = signed_in(client, tenants).get("/planning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-endpoint="/api/planning/staffing"' in html
    assert 'inputmode="numeric"' in html
    assert "chart.umd.min.js" in html
