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

Each strategy ranks the candidates by a key tuple built in one comprehension rather than
through a ``key=`` function: one Python call less per candidate, on the path every arrival
takes. The agent id, unique, is the last part of each key, so the agent after it in the tuple
is never compared.
"""

from __future__ import annotations

from pasokh.routing.model import AgentDefinition, QueueDefinition, Strategy
from pasokh.routing.state import AgentAtWork, LiveInteraction, QueueLine


def choose_agent(
    interaction: LiveInteraction, line: QueueLine, candidates: list[AgentAtWork]
) -> AgentAtWork:
    """The queue's strategy picks one agent; the agent who just missed this interaction
    comes last, and the agent id breaks remaining ties so the choice is deterministic."""
    if len(candidates) == 1:
        return candidates[0]
    missed = interaction.last_missed_by
    strategy = line.definition.strategy
    # ``bool(a.offers or a.assigned)`` is ``a.total_load > 0``: every offer and assignment
    # is one unit of load, so this tells an agent with work from a free one without a sum.
    if strategy is Strategy.LONGEST_IDLE:
        return min(
            [
                (a.agent_id == missed, bool(a.offers or a.assigned), a.idle_since, a.agent_id, a)
                for a in candidates
            ]
        )[-1]
    if strategy is Strategy.LEAST_OCCUPIED:
        slot = interaction.channel.capacity_channel
        return min(
            [
                (
                    a.agent_id == missed,
                    a.load[slot] / max(a.definition.capacity.get(slot, 1), 1),
                    len(a.offers) + len(a.assigned),  # ``total_load``, without the sum
                    a.idle_since,
                    a.agent_id,
                    a,
                )
                for a in candidates
            ]
        )[-1]
    if strategy is Strategy.ROUND_ROBIN:
        cursor = line.round_robin_cursor or ""
        return min(
            [(a.agent_id == missed, a.agent_id <= cursor, a.agent_id, a) for a in candidates]
        )[-1]
    levels = line.proficiency[interaction.stage]
    return min(
        [
            (
                a.agent_id == missed,
                -levels[a.agent_id],
                bool(a.offers or a.assigned),
                a.idle_since,
                a.agent_id,
                a,
            )
            for a in candidates
        ]
    )[-1]


def proficiency(queue: QueueDefinition, stage: int, agent: AgentDefinition) -> int:
    """How proficient ``highest_proficiency`` counts the agent at this stage of the queue.

    Skills and expressions change only when the agent or the queue is redefined, so the engine
    computes this when the agent joins the queue (``QueueLine.proficiency``), not per offer."""
    skills = (
        (queue.proficiency_skill,)
        if queue.proficiency_skill
        else queue.stages[stage].expression.skills
    )
    return sum(agent.skills.get(skill, 0) for skill in skills)
