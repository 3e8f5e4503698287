"""Planning rows for the demo business: one finished what-if run of today's set-up.

It is run for real (synchronously, a short scenario with few replications), so the demo's
run page shows the simulator's own figures.
"""

from __future__ import annotations

from pasokh.planning import jobs, scenario_form
from pasokh.planning.actions import do_create_simulation_run
from pasokh.planning.models import SimulationRun
from pasokh.tenancy.models import Tenant, User

DEMO_RUN_NAME = "نمونه: سه ساعت کار با کارشناسان امروز"


def build_planning_demo(tenant: Tenant, supervisor: User) -> SimulationRun:
    form = scenario_form.initial_form(supervisor)
    form.name = DEMO_RUN_NAME
    form.duration_hours = "3"
    form.replications = "3"
    scenario, replications, seed = scenario_form.scenario_of(form)
    if form.errors:
        raise ValueError(f"the demo scenario is invalid: {form.errors}")
    run = do_create_simulation_run(
        tenant=tenant,
        author=supervisor,
        name=form.name,
        scenario=scenario,
        replications=replications,
        seed=seed,
    )
    jobs.run_now(run)
    run.refresh_from_db()
    return run
