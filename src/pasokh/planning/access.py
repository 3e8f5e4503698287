"""Chokepoints for planning: who may plan, and which simulation runs they may open.

Planning is a supervisor's and admin's tool; agents get 403 from every page and endpoint
(:func:`require_planner`). Runs are read through the tenant chokepoint, so another
tenant's run id is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from pasokh.planning.models import SimulationRun
from pasokh.tenancy.access import access, require_role
from pasokh.tenancy.models import Role

PLANNER_ROLES = (Role.ADMIN, Role.SUPERVISOR)


def require_planner(user: Any) -> None:
    require_role(user, *PLANNER_ROLES)


def is_planner(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in PLANNER_ROLES)


def access_simulation_run(user: Any, run_id: object) -> SimulationRun:
    require_planner(user)
    return access(user, SimulationRun, run_id)
