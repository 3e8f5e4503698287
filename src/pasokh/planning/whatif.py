"""What-if scenarios: built from the planning form or pasted TOML, run by the simulator.

This module is the one adapter between the planning pages and :mod:`pasokh.simulation`
(``Scenario.from_dict`` / ``Scenario.from_toml`` and ``run_scenario``): the rest of the
app stores and shows plain dicts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

MAX_TOML_CHARS = 50_000
MAX_REPLICATIONS = 50
MAX_DURATION_S = 7 * 24 * 3600


class ScenarioError(ValueError):
    """A scenario the simulator cannot run; the message is shown to the planner."""


def _simulator() -> Any:
    """The simulator's entry points (``Scenario``, ``run_scenario``), imported when needed."""
    from pasokh.simulation import runner, scenario

    return _Simulator(scenario.Scenario, runner.run_scenario)


@dataclass(frozen=True)
class _Simulator:
    Scenario: Any
    run_scenario: Callable[..., Any]


def parse_toml(text: str) -> dict[str, Any]:
    """A pasted TOML scenario as a dict, with the parser's message on a syntax error."""
    if len(text) > MAX_TOML_CHARS:
        raise ScenarioError(gettext("The scenario is too long."))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(
            gettext("The TOML text is not valid: %(error)s") % {"error": error}
        ) from None


def check(scenario: Mapping[str, Any]) -> Any:
    """The simulator's own reading of the scenario; its complaint becomes a ScenarioError."""
    simulation = _simulator()
    try:
        parsed = simulation.Scenario.from_dict(dict(scenario))
    except (ValueError, KeyError, TypeError) as error:
        raise ScenarioError(
            gettext("The scenario was refused: %(error)s") % {"error": error}
        ) from error
    if parsed.duration_s > MAX_DURATION_S:
        raise ScenarioError(gettext("A what-if run simulates at most one week."))
    return parsed


def simulate(
    scenario: Mapping[str, Any],
    replications: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Run the scenario and return the simulator's result as a JSON-ready dict."""
    parsed = check(scenario)
    result = _simulator().run_scenario(parsed, replications, seed, progress)
    data: dict[str, Any] = result.to_dict()
    return data


def queue_rows(result: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Per-queue measures of a result as a list of rows with a ``queue`` name each."""
    if not result:
        return []
    queues = result.get("queues", {})
    if isinstance(queues, Mapping):
        return [{"queue": str(name), **dict(values)} for name, values in queues.items()]
    return [
        {"queue": str(row.get("queue", row.get("name", ""))), **dict(row)}
        for row in queues
        if isinstance(row, Mapping)
    ]
