"""What one replication counts: outcomes per queue and time at work per agent.

Only calls that *arrive* after the warm-up and before the end of the arrival horizon are
counted, and only time inside that window counts towards occupancy. This is the
replication/deletion approach: the empty-and-idle start is deleted, and calls that arrived in
the window are followed to their end even if that is after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(slots=True)
class QueueTally:
    """Outcomes of the counted arrivals of one queue (or of all queues together).

    The measures follow ``pasokh.wfm``'s definitions so that simulated and Erlang figures are
    comparable: service level is over *all* arrivals (abandoning before the target is a
    failure, not excluded) and ASA is the mean time in queue of all arrivals.
    """

    offered: int = 0
    answered: int = 0
    answered_in_target: int = 0
    waited: int = 0  # not answered at the moment of arrival
    abandoned: int = 0
    closed: int = 0  # the queue's maximum wait closed it (voicemail, ticket)
    stranded: int = 0  # still waiting when nothing more could happen (no agent left)
    wait_s: float = 0.0  # time in queue of every finished arrival
    handle_s: float = 0.0  # handle time of the answered ones

    def add(self, other: QueueTally) -> None:
        self.offered += other.offered
        self.answered += other.answered
        self.answered_in_target += other.answered_in_target
        self.waited += other.waited
        self.abandoned += other.abandoned
        self.closed += other.closed
        self.stranded += other.stranded
        self.wait_s += other.wait_s
        self.handle_s += other.handle_s

    def measures(self) -> dict[str, float]:
        """The replication's value of each measure (NaN where there is nothing to measure)."""
        finished = self.offered - self.stranded
        return {
            "offered": float(self.offered),
            "answered": float(self.answered),
            "abandoned": float(self.abandoned),
            "service_level": _ratio(self.answered_in_target, self.offered),
            "p_wait": _ratio(self.waited, self.offered),
            "asa": _ratio(self.wait_s, finished),
            "abandonment": _ratio(self.abandoned, self.offered),
            "aht": _ratio(self.handle_s, self.answered),
        }


@dataclass(slots=True)
class AgentTally:
    """Busy (holding work or wrapping up) and logged-in seconds inside the counted window."""

    agent_id: str
    group: str
    queues: frozenset[str]
    busy_s: float = 0.0
    logged_in_s: float = 0.0
    work: int = 0  # interactions held plus wrap-ups running
    busy_since: float = 0.0
    logged_in_since: float | None = None
    leaving: bool = False  # shift over: log out once the current work is done


@dataclass(slots=True)
class ReplicationTally:
    queues: dict[str, QueueTally]
    agents: dict[str, AgentTally] = field(default_factory=dict)
    events: int = 0

    def overall(self) -> QueueTally:
        total = QueueTally()
        for tally in self.queues.values():
            total.add(tally)
        return total

    def occupancy(self, agent_ids: list[str]) -> float:
        busy = math.fsum(self.agents[a].busy_s for a in agent_ids)
        logged_in = math.fsum(self.agents[a].logged_in_s for a in agent_ids)
        return _ratio(busy, logged_in)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else math.nan
