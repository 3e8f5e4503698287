"""Planning pages for supervisors and admins: staffing, forecast against actual, what-if runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pasokh.planning import forecasting, jobs, scenario_form, whatif
from pasokh.planning.access import access_simulation_run, require_planner
from pasokh.planning.actions import do_create_simulation_run
from pasokh.planning.models import SimulationRun
from pasokh.router.models import Queue
from pasokh.tenancy.access import visible_to

RECENT_RUNS = 20


@login_required
def staffing(request: HttpRequest) -> HttpResponse:
    require_planner(request.user)
    return render(request, "planning/staffing.html", {"tab": "staffing"})


def _choice(value: str | None, options: list[Any], default: Any) -> Any:
    for option in options:
        if str(option) == value:
            return option
    return default


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    require_planner(request.user)
    queues = list(visible_to(request.user, Queue).order_by("-priority", "code"))
    weeks = forecasting.week_choices(timezone.localdate())
    context: dict[str, Any] = {"tab": "forecast", "queues": queues, "weeks": weeks}
    if not queues:
        return render(request, "planning/forecast.html", context)
    queue = _choice(request.GET.get("queue"), [q.pk for q in queues], queues[0].pk)
    interval = _choice(request.GET.get("interval"), list(forecasting.INTERVALS), 60)
    week: date = _choice(request.GET.get("week"), weeks, weeks[2])  # the last full week
    selected = next(q for q in queues if q.pk == queue)
    report = forecasting.build_report(request.user, selected, interval, week)
    highest = max((max(day) for day in report.agents if day), default=0)
    context.update(
        report=report,
        selected_queue=selected,
        intervals=forecasting.INTERVALS,
        selected_interval=interval,
        selected_week=week,
        staffing_rows=[
            (
                slot,
                [
                    (report.agents[d][i], forecasting.heat_level(report.agents[d][i], highest))
                    for d in range(len(report.days))
                ],
            )
            for i, slot in enumerate(report.slots)
        ],
        chart=report.chart_data(),
    )
    return render(request, "planning/forecast.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def simulations(request: HttpRequest) -> HttpResponse:
    require_planner(request.user)
    user: Any = request.user
    jobs.fail_abandoned_runs(user.tenant)
    if request.method == "POST":
        form = scenario_form.bound_form(user, request.POST)
        scenario, replications, seed = scenario_form.scenario_of(form)
        if not form.errors:
            try:
                whatif.check(scenario)
            except whatif.ScenarioError as error:
                form.errors["scenario"] = str(error)
        if not form.errors:
            with transaction.atomic():
                run = do_create_simulation_run(
                    tenant=user.tenant,
                    author=user,
                    name=form.name,
                    scenario=scenario,
                    replications=replications,
                    seed=seed,
                )
                jobs.start_in_background(run)
            return redirect("planning:simulation", run_id=run.pk)
    else:
        form = scenario_form.initial_form(user)
    runs = visible_to(user, SimulationRun).select_related("author")[:RECENT_RUNS]
    return render(
        request,
        "planning/simulations.html",
        {"tab": "simulations", "form": form, "runs": runs},
        status=400 if form.errors else 200,
    )


@login_required
def simulation(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_simulation_run(request.user, run_id)
    jobs.fail_abandoned_runs(run.tenant)
    run.refresh_from_db()
    rows = whatif.queue_rows(run.result)
    names = dict(
        visible_to(request.user, Queue)
        .filter(code__in=[row["queue"] for row in rows])
        .values_list("code", "name")
    )
    for row in rows:
        row["label"] = names.get(row["queue"], row["queue"])
    return render(
        request,
        "planning/simulation.html",
        {"tab": "simulations", "run": run, "rows": rows},
    )
