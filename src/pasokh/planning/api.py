"""Planning API: the staffing calculator, forecasts and what-if simulation runs.

Every endpoint is for supervisors and admins (agents get 403) and reads the caller's
tenant only; another tenant's run id answers 404, exactly like a missing one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from pasokh.planning import calculator, forecasting, jobs, whatif
from pasokh.planning.access import access_simulation_run, require_planner
from pasokh.planning.actions import do_create_simulation_run
from pasokh.planning.models import SimulationRun
from pasokh.planning.schemas import (
    FieldErrors,
    ForecastOut,
    SimulationIn,
    SimulationResultOut,
    SimulationStatusOut,
    StaffingIn,
    StaffingOut,
)
from pasokh.router.models import Queue
from pasokh.tenancy.access import access, visible_to

router = Router(tags=["planning"])


def _planner(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    require_planner(user)
    return user


@router.post("/staffing", response={200: StaffingOut, 400: FieldErrors})
def staffing(request: HttpRequest, payload: StaffingIn) -> Status[dict[str, Any]]:
    _planner(request)
    try:
        query = calculator.parse_query(payload.dict())
        return Status(200, calculator.calculate(query))
    except calculator.StaffingInputError as error:
        return Status(400, {"errors": error.errors})
    except ValueError as error:  # a target no staffing reaches, e.g. 100 % within 0 s
        return Status(400, {"errors": {"__all__": str(error)}})


@router.get("/forecast", response=ForecastOut)
def forecast(request: HttpRequest, queue: int, week: date, interval: int = 60) -> dict[str, Any]:
    user = _planner(request)
    if interval not in forecasting.INTERVALS:
        raise HttpError(400, "interval must be 15, 30 or 60 minutes")
    selected = access(user, Queue, queue)
    report = forecasting.build_report(user, selected, interval, week)
    return {
        "queue": selected.code,
        "interval_minutes": interval,
        "week_start": report.week_start,
        "history_days": report.history_days,
        "message": report.message,
        "days": report.days,
        "slots": report.slots,
        "forecast": report.forecast,
        "actual": report.actual if report.has_actual else [],
        "scheduled_agents": report.agents,
        "mape": report.mape,
        "mape_message": report.mape_message,
    }


def _status(run: SimulationRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "name": run.name,
        "status": run.status,
        "status_label": run.get_status_display(),
        "progress": run.progress,
        "error": run.error,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


@router.get("/simulations", response=list[SimulationStatusOut])
def list_simulations(request: HttpRequest) -> list[dict[str, Any]]:
    user = _planner(request)
    jobs.fail_abandoned_runs(user.tenant)
    return [_status(run) for run in visible_to(user, SimulationRun)[:100]]


@router.post("/simulations", response={201: SimulationStatusOut, 400: FieldErrors})
def create_simulation(request: HttpRequest, payload: SimulationIn) -> Status[dict[str, Any]]:
    user = _planner(request)
    errors: dict[str, str] = {}
    if not payload.name.strip() or len(payload.name) > 120:
        errors["name"] = "a name of 1 to 120 characters is required"
    if not 1 <= payload.replications <= whatif.MAX_REPLICATIONS:
        errors["replications"] = f"between 1 and {whatif.MAX_REPLICATIONS}"
    if (payload.scenario is None) == (payload.toml is None):
        errors["scenario"] = "give either scenario (JSON) or toml"
    if errors:
        return Status(400, {"errors": errors})
    try:
        scenario = payload.scenario if payload.toml is None else whatif.parse_toml(payload.toml)
        whatif.check(scenario or {})
    except whatif.ScenarioError as error:
        return Status(400, {"errors": {"scenario": str(error)}})
    jobs.fail_abandoned_runs(user.tenant)
    with transaction.atomic():
        run = do_create_simulation_run(
            tenant=user.tenant,
            author=user,
            name=payload.name.strip(),
            scenario=scenario or {},
            replications=payload.replications,
            seed=payload.seed,
        )
        jobs.start_in_background(run)
    return Status(201, _status(run))


@router.get("/simulations/{run_id}", response=SimulationStatusOut)
def simulation_status(request: HttpRequest, run_id: int) -> dict[str, Any]:
    user = _planner(request)
    run = access_simulation_run(user, run_id)
    if not run.is_finished and jobs.fail_abandoned_runs(user.tenant):
        run.refresh_from_db()
    return _status(run)


@router.get("/simulations/{run_id}/result", response=SimulationResultOut)
def simulation_result(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = access_simulation_run(_planner(request), run_id)
    if run.status != SimulationRun.Status.DONE:
        raise Http404("This run has no result yet")
    return {
        "id": run.pk,
        "status": run.status,
        "scenario": run.scenario,
        "replications": run.replications,
        "seed": run.seed,
        "result": run.result,
    }
