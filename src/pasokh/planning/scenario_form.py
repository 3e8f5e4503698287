"""The what-if form: the tenant's queues and agent groups as rows, or a pasted TOML scenario.

Rows are pre-filled from the tenant's own configuration (queues with their routing
expressions and service-level thresholds; agent groups from routing profiles with their
agents' usual skills), so a planner starts from today's contact centre and changes it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from pasokh.persian.digits import parse_decimal, parse_int
from pasokh.planning import whatif
from pasokh.router.models import AgentProfile, AgentSkill, Queue
from pasokh.tenancy.access import visible_to

EXTRA_GROUPS = 2  # empty group rows offered after the tenant's own
MAX_AGENTS_PER_GROUP = 500
_SKILL_RE = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*[=:]\s*(\S+)\s*$")


@dataclass
class QueueRow:
    code: str
    name: str
    expression: str
    service_level: float
    target_s: int
    wrap_up_s: int
    steps: list[dict[str, Any]]
    include: bool = True
    arrivals_per_hour: str = "30"
    aht_s: str = "240"
    patience_s: str = "180"


@dataclass
class GroupRow:
    name: str = ""
    count: str = ""
    skills: str = ""


@dataclass
class WhatIfForm:
    name: str = ""
    duration_hours: str = "4"
    replications: str = "5"
    seed: str = "1"
    toml: str = ""
    queues: list[QueueRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def initial_form(user: Any) -> WhatIfForm:
    queues = [
        QueueRow(
            q.code,
            q.name,
            q.target_expression,
            q.service_level_percent / 100,
            q.service_level_seconds,
            q.wrapup_seconds,
            list(q.steps or []),
        )
        for q in visible_to(user, Queue).order_by("-priority", "code")
    ]
    form = WhatIfForm(name=str(_("What if")), queues=queues, groups=_tenant_groups(user))
    form.groups += [GroupRow() for _ in range(EXTRA_GROUPS)]
    return form


def _tenant_groups(user: Any) -> list[GroupRow]:
    """One group per routing profile; a skill is kept if most of its agents have it."""
    members: dict[str, list[int]] = defaultdict(list)
    for profile in (
        visible_to(user, AgentProfile)
        .filter(user__is_active=True, routing_profile__isnull=False)
        .select_related("routing_profile")
    ):
        members[profile.routing_profile.name].append(profile.pk)
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for agent_id, code, level in visible_to(user, AgentSkill).values_list(
        "agent_id", "skill__code", "level"
    ):
        levels[agent_id][code] = level
    groups = []
    for name, agent_ids in sorted(members.items()):
        seen: dict[str, list[int]] = defaultdict(list)
        for agent_id in agent_ids:
            for code, level in levels[agent_id].items():
                seen[code].append(level)
        skills = {
            code: round(sum(values) / len(values))
            for code, values in sorted(seen.items())
            if len(values) * 2 > len(agent_ids)
        }
        groups.append(
            GroupRow(name, str(len(agent_ids)), " ".join(f"{c}={v}" for c, v in skills.items()))
        )
    return groups


def bound_form(user: Any, data: Mapping[str, str]) -> WhatIfForm:
    """The form as submitted (values kept as typed, so errors can be shown beside them)."""
    form = initial_form(user)
    form.name = data.get("name", "").strip()[:120]
    form.duration_hours = data.get("duration_hours", "").strip()
    form.replications = data.get("replications", "").strip()
    form.seed = data.get("seed", "").strip()
    form.toml = data.get("toml", "")
    for row in form.queues:
        prefix = f"q-{row.code}-"
        row.include = data.get(prefix + "include") == "on"
        row.arrivals_per_hour = data.get(prefix + "arrivals", "").strip()
        row.aht_s = data.get(prefix + "aht", "").strip()
        row.patience_s = data.get(prefix + "patience", "").strip()
    count = len(form.groups)
    form.groups = [
        GroupRow(
            data.get(f"g-{i}-name", "").strip()[:60],
            data.get(f"g-{i}-count", "").strip(),
            data.get(f"g-{i}-skills", "").strip()[:300],
        )
        for i in range(count)
    ]
    return form


def _number(form: WhatIfForm, key: str, text: str, low: float, high: float) -> float:
    try:
        value = float(parse_decimal(text))
    except ValueError:
        form.errors[key] = str(_("Enter a number."))
        return 0.0
    if not low <= value <= high:
        form.errors[key] = str(_("Out of range."))
    return value


def _whole(form: WhatIfForm, key: str, text: str, low: int, high: int) -> int:
    try:
        value = parse_int(text)
    except ValueError:
        form.errors[key] = str(_("Enter a whole number."))
        return 0
    if not low <= value <= high:
        form.errors[key] = str(_("Out of range."))
    return value


def _skills(form: WhatIfForm, key: str, text: str) -> dict[str, int]:
    skills: dict[str, int] = {}
    for part in text.replace("،", " ").replace(",", " ").split():
        match = _SKILL_RE.match(part)
        level = None
        if match:
            try:
                level = parse_int(match[2])
            except ValueError:
                level = None
        if match is None or level is None or not 0 <= level <= 10:
            form.errors[key] = str(_("Write skills as code=level, e.g. fa=9 sales=7."))
            return {}
        skills[match[1]] = level
    return skills


def scenario_of(form: WhatIfForm) -> tuple[dict[str, Any], int, int]:
    """(scenario, replications, seed) from a bound form; fills ``form.errors`` on bad input."""
    replications = _whole(form, "replications", form.replications, 1, whatif.MAX_REPLICATIONS)
    seed = _whole(form, "seed", form.seed, 0, 2**31 - 1)
    if not form.name:
        form.errors["name"] = str(_("Give the scenario a name."))
    if form.toml.strip():
        try:
            return whatif.parse_toml(form.toml), replications, seed
        except whatif.ScenarioError as error:
            form.errors["toml"] = str(error)
            return {}, replications, seed
    hours = _number(form, "duration_hours", form.duration_hours, 0.25, 24 * 7)
    included = {row.code for row in form.queues if row.include}
    queues = [_queue_table(form, row, included) for row in form.queues if row.include]
    # Queues that overflow go after the queues they overflow to: the simulated router
    # registers them in order and refuses an overflow to a queue it does not know yet.
    queues.sort(key=lambda table: any("overflow_to" in step for step in table["steps"]))
    groups = []
    for index, row in enumerate(form.groups):
        if not (row.count or row.skills):
            continue
        count = _whole(form, f"g-{index}-count", row.count, 0, MAX_AGENTS_PER_GROUP)
        skills = _skills(form, f"g-{index}-skills", row.skills)
        name = (row.name or f"group-{index + 1}").replace("/", "-")
        if count:
            groups.append({"name": name, "count": count, "skills": skills})
    if not queues:
        form.errors["queues"] = str(_("Include at least one queue."))
    if not groups:
        form.errors["groups"] = str(_("Add at least one group of agents."))
    scenario = {
        "name": form.name,
        "duration_s": round(hours * 3600),
        "queues": queues,
        "agents": groups,
    }
    return scenario, replications, seed


def _queue_table(form: WhatIfForm, row: QueueRow, included: set[str]) -> dict[str, Any]:
    """One queue in the simulator's format (docs/simulation.md), with the real routing rules.

    The queue's relaxation steps come along, except an overflow to a queue left out.
    """
    prefix = f"q-{row.code}-"
    calls = _number(form, prefix + "arrivals", row.arrivals_per_hour, 0, 100_000)
    table: dict[str, Any] = {
        "name": row.code,
        "channels": ["voice"],
        "expression": row.expression,
        "service_level": row.service_level,
        "target_s": row.target_s,
        "wrap_up_s": row.wrap_up_s,
        "steps": [step for step in row.steps if step.get("overflow_to", row.code) in included],
        "arrivals": {"interval_s": 3600, "calls": [calls]},
        "handle_time": {
            "distribution": "exponential",
            "mean_s": _number(form, prefix + "aht", row.aht_s, 1, 24 * 3600),
        },
    }
    if row.patience_s:
        table["patience"] = {
            "distribution": "exponential",
            "mean_s": _number(form, prefix + "patience", row.patience_s, 1, 24 * 3600),
        }
    return table
