"""What-if runs go to the background, report progress, and end done or failed — never stuck."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pasokh.conftest import TenantPair
from pasokh.planning import jobs
from pasokh.planning.actions import do_create_simulation_run, do_start_simulation_run
from pasokh.planning.models import SimulationRun
from pasokh.planning.tests.helpers import small_scenario

pytestmark = pytest.mark.django_db(transaction=True)


def start(client: Client, **payload: Any) -> dict[str, Any]:
    response = client.post("/api/planning/simulations", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_run_goes_to_the_background_and_ends_done_with_a_result(
    tenants: TenantPair, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[float] = []
    original = jobs.do_record_simulation_progress

    def spy(run: SimulationRun, fraction: float) -> None:
        seen.append(fraction)
        original(run, fraction)

    monkeypatch.setattr(jobs, "do_record_simulation_progress", spy)
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL_S", 0.0)
    client.force_login(tenants.user("supervisor"))
    created = start(client, name="بعدازظهر", scenario=small_scenario(), replications=4, seed=3)
    assert created["status"] in {"queued", "running", "done"}
    assert jobs.wait_for(created["id"], timeout_s=60)

    status = client.get(f"/api/planning/simulations/{created['id']}").json()
    assert (status["status"], status["progress"], status["error"]) == ("done", 1.0, "")
    assert len(seen) > 2
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    result = client.get(f"/api/planning/simulations/{created['id']}/result").json()
    sales = result["result"]["queues"]["sales"]
    assert 0 <= sales["service_level"] <= 1
    assert sales["service_level_ci"] >= 0
    assert result["replications"] == 4
    page = client.get(f"/planning/simulations/{created['id']}/").content.decode()
    assert 'id="result-charts"' in page
    assert "result-data" in page


def test_a_pasted_toml_scenario_runs_too(tenants: TenantPair, client: Client) -> None:
    toml = """
duration_s = 3600
[[queues]]
name = "billing"
expression = "billing >= 1"
arrivals = {interval_s = 3600, calls = [20]}
handle_time = {mean_s = 200}
[[agents]]
name = "finance"
count = 3
skills = {billing = 4}
"""
    client.force_login(tenants.user("admin"))
    created = start(client, name="toml", toml=toml, replications=2)
    assert jobs.wait_for(created["id"], timeout_s=60)
    assert SimulationRun.objects.get(pk=created["id"]).status == SimulationRun.Status.DONE


def test_a_scenario_that_fails_while_running_is_failed_with_a_readable_error(
    tenants: TenantPair, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise ZeroDivisionError("no agents left")

    monkeypatch.setattr(jobs.whatif, "simulate", broken)
    client.force_login(tenants.user("supervisor"))
    created = start(client, name="broken", scenario=small_scenario(), replications=1)
    assert jobs.wait_for(created["id"], timeout_s=30)
    run = SimulationRun.objects.get(pk=created["id"])
    assert run.status == SimulationRun.Status.FAILED
    assert "ZeroDivisionError: no agents left" in run.error
    assert run.finished_at is not None
    page = client.get(f"/planning/simulations/{run.pk}/").content.decode()
    assert "no agents left" in page


def test_a_bad_scenario_is_refused_before_it_is_queued(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("supervisor"))
    bad = small_scenario(duration_s=-5)
    response = client.post(
        "/api/planning/simulations",
        {"name": "bad", "scenario": bad},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "duration_s" in response.json()["errors"]["scenario"]
    assert not SimulationRun.objects.filter(name="bad").exists()


def test_a_stored_bad_scenario_fails_in_the_worker(tenants: TenantPair) -> None:
    run = do_create_simulation_run(
        tenant=tenants.home,
        author=None,
        name="stored",
        scenario={"queues": []},
        replications=1,
        seed=1,
    )
    jobs.execute_simulation_run(run.pk)
    run.refresh_from_db()
    assert run.status == SimulationRun.Status.FAILED
    assert "duration_s is required" in run.error


def test_the_form_page_starts_a_run_and_redirects_to_it(
    tenants: TenantPair, client: Client
) -> None:
    client.force_login(tenants.user("supervisor"))
    form = {
        "name": "فرم",
        "duration_hours": "۱",
        "replications": "۲",
        "seed": "1",
        "q-sales-include": "on",
        "q-sales-arrivals": "۴۰",
        "q-sales-aht": "180",
        "q-sales-patience": "",
        "g-0-name": "فروش",
        "g-0-count": "۳",
        "g-0-skills": "fa=9 sales=7",
    }
    response = client.post("/planning/simulations/", form)
    assert response.status_code == 302
    run = SimulationRun.objects.get(name="فرم")
    assert response["Location"] == f"/planning/simulations/{run.pk}/"
    assert [q["name"] for q in run.scenario["queues"]] == ["sales"]
    assert run.scenario["agents"] == [{"name": "فروش", "count": 3, "skills": {"fa": 9, "sales": 7}}]
    assert jobs.wait_for(run.pk, timeout_s=60)
    run.refresh_from_db()
    assert run.status == SimulationRun.Status.DONE


def test_the_form_shows_its_errors_beside_the_values(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("supervisor"))
    response = client.post(
        "/planning/simulations/",
        {
            "name": "",
            "duration_hours": "x",
            "replications": "500",
            "g-0-count": "2",
            "g-0-skills": "fa=high",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert 'value="500"' in html


def test_a_run_left_running_by_a_dead_process_is_marked_failed(
    tenants: TenantPair, client: Client
) -> None:
    run = do_create_simulation_run(
        tenant=tenants.home,
        author=None,
        name="orphan",
        scenario=small_scenario(),
        replications=1,
        seed=1,
    )
    # pid 2**22 + 1 is above Linux's pid_max: that process cannot be alive.
    assert do_start_simulation_run(run, worker=f"{jobs.socket.gethostname()}:4194305:dead")
    forgotten = do_create_simulation_run(
        tenant=tenants.home,
        author=None,
        name="never",
        scenario=small_scenario(),
        replications=1,
        seed=1,
    )
    SimulationRun.objects.filter(pk=forgotten.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(tenants.user("supervisor"))
    status = client.get(f"/api/planning/simulations/{run.pk}").json()
    assert status["status"] == "failed"
    assert status["error"]
    forgotten.refresh_from_db()
    assert forgotten.status == SimulationRun.Status.FAILED


def test_a_live_run_of_this_process_is_left_alone(tenants: TenantPair) -> None:
    run = do_create_simulation_run(
        tenant=tenants.home,
        author=None,
        name="live",
        scenario=small_scenario(),
        replications=1,
        seed=1,
    )
    assert jobs.abandonment_reason(run) is None  # queued a moment ago
    assert do_start_simulation_run(run, worker="elsewhere:1:abc")
    run.refresh_from_db()
    assert jobs.abandonment_reason(run) is None  # another host, heard from just now
