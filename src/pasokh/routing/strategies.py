"""Strategies: which of several eligible agents a queue offers an interaction to.

* ``longest_idle`` — the agent free the longest (agents with no work at all before agents who
  still hold some), counted from becoming ready or finishing their last interaction;
* ``least_occupied`` — the lowest occupancy on the interaction's channel (load over capacity),
  then the fewest interactions overall;
* ``round_robin`` — the next agent after the one this queue offered to last, by agent id;
* ``highest_proficiency`` — the highest level in the queue's ``proficiency_skill``, or else the
  sum of the skills its current step's expression compares with numbers.

Under every strategy the agent who just missed (rejected or let expire) this interaction comes
last, and the agent id breaks any remaining tie, so a decision never depends on set order.
"""

from __future__ import annotations

from pasokh.routing.model import Strategy
from pasokh.routing.state import AgentAtWork, LiveInteraction, QueueLine


def choose_agent(
    interaction: LiveInteraction, line: QueueLine, candidates: list[AgentAtWork]
) -> AgentAtWork:
    """The queue's strategy picks one agent; the agent who just missed this interaction
    comes last, and the agent id breaks remaining ties so the choice is deterministic."""
    if len(candidates) == 1:
        return candidates[0]
    missed = interaction.last_missed_by
    definition = line.definition
    strategy = definition.strategy
    slot = interaction.channel.capacity_channel
    if strategy is Strategy.LONGEST_IDLE:
        return min(
            candidates,
            key=lambda a: (a.agent_id == missed, a.total_load > 0, a.idle_since, a.agent_id),
        )
    if strategy is Strategy.LEAST_OCCUPIED:
        return min(
            candidates,
            key=lambda a: (
                a.agent_id == missed,
                a.load[slot] / max(a.definition.capacity.get(slot, 1), 1),
                a.total_load,
                a.idle_since,
                a.agent_id,
            ),
        )
    if strategy is Strategy.ROUND_ROBIN:
        cursor = line.round_robin_cursor or ""
        return min(
            candidates,
            key=lambda a: (a.agent_id == missed, a.agent_id <= cursor, a.agent_id),
        )
    skills = (
        (definition.proficiency_skill,)
        if definition.proficiency_skill
        else definition.stages[interaction.stage].expression.skills
    )
    return min(
        candidates,
        key=lambda a: (
            a.agent_id == missed,
            -sum(a.definition.skills.get(skill, 0) for skill in skills),
            a.total_load > 0,
            a.idle_since,
            a.agent_id,
        ),
    )
