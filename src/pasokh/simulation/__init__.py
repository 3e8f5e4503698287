"""What-if simulation of a contact center, driven by the real routing core.

Pure Python (no Django), fully typed. A :class:`Scenario` (from TOML or a dict) describes
queues, agents and demand; :func:`run_scenario` runs independent replications of it through
``pasokh.routing.engine.RoutingEngine`` on a virtual clock and returns a
:class:`SimulationResult` with 95 % confidence intervals. See ``docs/simulation.md``.
"""

from pasokh.simulation.distributions import Duration, ScenarioError, Shape
from pasokh.simulation.runner import MEASURES, QueueResult, SimulationResult, run_scenario
from pasokh.simulation.scenario import AgentGroup, Arrivals, QueueSpec, Scenario
from pasokh.simulation.statistics import Estimate, estimate, t_quantile_975

__all__ = [
    "MEASURES",
    "AgentGroup",
    "Arrivals",
    "Duration",
    "Estimate",
    "QueueResult",
    "QueueSpec",
    "Scenario",
    "ScenarioError",
    "Shape",
    "SimulationResult",
    "estimate",
    "run_scenario",
    "t_quantile_975",
]
