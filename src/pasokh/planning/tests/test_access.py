"""Planning is for supervisors and admins, and every endpoint stays inside the tenant."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.conftest import TenantPair
from pasokh.planning.actions import do_create_simulation_run
from pasokh.planning.models import SimulationRun
from pasokh.planning.tests.helpers import small_scenario
from pasokh.router.models import Queue

pytestmark = pytest.mark.django_db

PAGES = ["/planning/", "/planning/forecast/", "/planning/simulations/"]


def other_tenants_run(tenants: TenantPair) -> SimulationRun:
    return do_create_simulation_run(
        tenant=tenants.other,
        author=tenants.user("b_supervisor"),
        name="theirs",
        scenario=small_scenario(),
        replications=1,
        seed=1,
    )


def endpoints(tenants: TenantPair, run_id: int) -> list[tuple[str, str, dict[str, object]]]:
    queue = Queue.objects.filter(tenant=tenants.home).first()
    assert queue is not None
    return [
        ("post", "/api/planning/staffing", {"calls": 10, "aht_s": 180}),
        ("get", f"/api/planning/forecast?queue={queue.pk}&week=2026-11-21&interval=60", {}),
        ("get", "/api/planning/simulations", {}),
        ("post", "/api/planning/simulations", {"name": "x", "scenario": small_scenario()}),
        ("get", f"/api/planning/simulations/{run_id}", {}),
        ("get", f"/api/planning/simulations/{run_id}/result", {}),
    ]


@pytest.mark.parametrize("path", PAGES)
def test_agents_are_refused_every_planning_page(
    tenants: TenantPair, client: Client, path: str
) -> None:
    client.force_login(tenants.user("agent"))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("username", ["supervisor", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_supervisors_and_admins_open_every_planning_page(
    tenants: TenantPair, client: Client, path: str, username: str
) -> None:
    client.force_login(tenants.user(username))
    assert client.get(path).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/planning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_agents_get_403_from_every_endpoint(tenants: TenantPair, client: Client) -> None:
    own = do_create_simulation_run(
        tenant=tenants.home,
        author=None,
        name="ours",
        scenario=small_scenario(),
        replications=1,
        seed=1,
    )
    client.force_login(tenants.user("agent"))
    for method, path, payload in endpoints(tenants, own.pk):
        call = getattr(client, method)
        response = call(path, payload, content_type="application/json") if payload else call(path)
        assert response.status_code == 403, path
    assert SimulationRun.objects.filter(tenant=tenants.home).count() == 1 + 1  # demo run + ours


def test_another_tenants_run_is_a_404_on_page_and_api(tenants: TenantPair, client: Client) -> None:
    theirs = other_tenants_run(tenants)
    client.force_login(tenants.user("supervisor"))
    assert client.get(f"/planning/simulations/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/planning/simulations/{theirs.pk}").status_code == 404
    assert client.get(f"/api/planning/simulations/{theirs.pk}/result").status_code == 404
    listed = {row["id"] for row in client.get("/api/planning/simulations").json()}
    assert theirs.pk not in listed
    assert listed == set(
        SimulationRun.objects.filter(tenant=tenants.home).values_list("pk", flat=True)
    )


def test_another_tenants_queue_cannot_be_forecast(tenants: TenantPair, client: Client) -> None:
    theirs = Queue.objects.filter(tenant=tenants.other).first()
    assert theirs is not None
    client.force_login(tenants.user("supervisor"))
    response = client.get(f"/api/planning/forecast?queue={theirs.pk}&week=2026-11-21")
    assert response.status_code == 404


def test_the_nav_shows_planning_to_supervisors_only(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("supervisor"))
    assert 'data-testid="nav-planning"' in client.get("/").content.decode()
    client.force_login(tenants.user("agent"))
    assert 'data-testid="nav-planning"' not in client.get("/").content.decode()
