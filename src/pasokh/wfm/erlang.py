"""Erlang B, Erlang C and Erlang A (M/M/N+M) queueing measures, in pure Python.

Units: every time is in **seconds**; ``calls`` is the number of arrivals in one interval
of ``interval_s`` seconds; ``traffic`` (offered load, in Erlangs) is
``calls · aht_s / interval_s``.

Numerical notes (see ``docs/wfm.md`` for the formulas and sources):

* Erlang B uses the recursion ``B(0) = 1``, ``B(n) = A·B(n−1) / (n + A·B(n−1))`` — in
  the equivalent form ``1/B(n) = 1 + (n/A)·1/B(n−1)`` — and never forms ``A^N/N!``.
  For large ``n`` the recursion is started ``14·√A + 20`` steps below ``min(n, A)``:
  the recursion multiplies any error in the start value by ``Π k/A < e^(−98)``
  there, so the result equals the full recursion to double precision in ``O(√A)`` steps.
* Erlang C comes from Erlang B: ``C = N·B / (N − A·(1 − B))``.
* Erlang A uses the closed forms of Mandelbaum & Zeltyn (2007), evaluated in log space
  (:mod:`pasokh.wfm._gamma`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from pasokh.wfm._gamma import log_mz_a, mz_series

# Below this many agents the full Erlang B recursion from n = 0 is cheap; above it the
# recursion starts where the start value no longer matters (see the module docstring).
_FULL_RECURSION_LIMIT = 400


class UnstableQueueError(ValueError):
    """Erlang C has no steady state: the agents cannot carry the offered traffic."""


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Steady-state measures of one interval.

    ``p_wait``: probability an arrival waits at all (is not answered at once).
    ``service_level``: fraction of *all* arrivals answered within the target time;
    in Erlang A a caller who abandons counts as a failure, however early.
    ``asa``: mean time in queue over *all* arrivals, seconds (Erlang A: abandoners'
    time in queue included).
    ``occupancy``: carried load per agent, ``A·(1 − p_lost)/N``.
    ``p_abandon``: probability an arrival abandons (0 for Erlang C).
    """

    traffic: float
    agents: int
    p_wait: float
    service_level: float
    asa: float
    occupancy: float
    p_abandon: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


# --------------------------------------------------------------------------- validation


def _check_non_negative(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def _check_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def _check_agents(agents: int, minimum: int = 0) -> None:
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < minimum:
        raise ValueError(f"agents must be an integer >= {minimum}, got {agents!r}")


def traffic_intensity(calls: float, interval_s: float, aht_s: float) -> float:
    """Offered load in Erlangs: ``calls · aht_s / interval_s``."""
    _check_non_negative("calls", calls)
    _check_positive("interval_s", interval_s)
    _check_positive("aht_s", aht_s)
    return calls * aht_s / interval_s


# --------------------------------------------------------------------------- Erlang B


def _inverse_erlang_b(agents: int, traffic: float) -> float:
    """``1/B(agents, traffic)`` for ``traffic > 0`` (may be ``inf`` when B underflows)."""
    start = 0
    if agents > _FULL_RECURSION_LIMIT:
        start = max(0, int(min(float(agents), traffic) - 14.0 * math.sqrt(traffic) - 20.0))
    inverse = 1.0  # exact at start = 0; forgotten within double precision otherwise
    for k in range(start + 1, agents + 1):
        inverse = 1.0 + inverse * (k / traffic)
    return inverse


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of the loss system M/M/N/N (Erlang's B formula)."""
    _check_agents(agents)
    _check_non_negative("traffic", traffic)
    if agents == 0:
        return 1.0
    if traffic == 0.0:
        return 0.0
    return 1.0 / _inverse_erlang_b(agents, traffic)


# --------------------------------------------------------------------------- Erlang C


def erlang_c(agents: int, traffic: float) -> float:
    """Probability of waiting in M/M/N (Erlang's C formula); needs ``agents > traffic``."""
    _check_agents(agents, minimum=1)
    _check_non_negative("traffic", traffic)
    if traffic == 0.0:
        return 0.0
    if agents <= traffic:
        raise UnstableQueueError(
            f"unstable queue: {agents} agents cannot carry {traffic:.4g} Erlangs "
            "(Erlang C needs agents > traffic)"
        )
    return _erlang_c_from_b(agents, traffic, erlang_b(agents, traffic))


def _erlang_c_from_b(agents: int, traffic: float, blocking: float) -> float:
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def _erlang_c_measures(
    agents: int, traffic: float, p_wait: float, aht_s: float, target_s: float
) -> QueueMetrics:
    spare = agents - traffic  # > 0
    return QueueMetrics(
        traffic=traffic,
        agents=agents,
        p_wait=p_wait,
        service_level=1.0 - p_wait * math.exp(-spare * target_s / aht_s),
        asa=p_wait * aht_s / spare,
        occupancy=traffic / agents,
    )


def erlang_c_for_traffic(
    traffic: float, aht_s: float, agents: int, target_s: float
) -> QueueMetrics:
    """Erlang C measures for an offered load in Erlangs.

    ``SL(T) = 1 − C·e^(−(N−A)·T/AHT)``, ``ASA = C·AHT/(N−A)``, occupancy ``A/N``.
    """
    _check_non_negative("traffic", traffic)
    _check_positive("aht_s", aht_s)
    _check_non_negative("target_s", target_s)
    _check_agents(agents, minimum=1)
    if traffic == 0.0:
        return QueueMetrics(traffic, agents, 0.0, 1.0, 0.0, 0.0)
    p_wait = erlang_c(agents, traffic)
    return _erlang_c_measures(agents, traffic, p_wait, aht_s, target_s)


def erlang_c_metrics(
    calls: float, interval_s: float, aht_s: float, agents: int, target_s: float
) -> QueueMetrics:
    """Erlang C measures of an interval with ``calls`` arrivals in ``interval_s`` seconds."""
    traffic = traffic_intensity(calls, interval_s, aht_s)
    return erlang_c_for_traffic(traffic, aht_s, agents, target_s)


# --------------------------------------------------------------------------- Erlang A


def erlang_a_for_traffic(
    traffic: float, aht_s: float, agents: int, target_s: float, patience_s: float
) -> QueueMetrics:
    """Erlang A (M/M/N+M) measures for an offered load in Erlangs.

    With ``x = N·μ/θ = N·patience/AHT``, ``y = λ/θ = A·patience/AHT``, ``B = B(N, A)``
    and ``A(x, y)`` the Mandelbaum–Zeltyn function (:func:`pasokh.wfm._gamma.log_mz_a`):

    * ``π_N = B / (1 + (A(x,y) − 1)·B)`` — probability that all agents are busy and
      nobody waits; ``p_wait = A(x,y)·π_N``;
    * ``p_abandon = θ·E[Q]/λ = π_N·Σ_j j·t_j / y``;
    * ``P(served after T) = π_N·x/(x+1)·A(x+1, y·e^(−θT))·e^(y(1−e^(−θT)) − (x+1)θT)``,
      so ``SL(T) = 1 − p_abandon − P(served after T)``;
    * ``ASA = E[min(V, τ)] = p_abandon / θ`` (mean queue time of all arrivals);
    * occupancy ``A·(1 − p_abandon)/N``.

    Unlike Erlang C, any number of agents ≥ 1 is stable. ``patience_s = inf`` gives
    Erlang C.
    """
    _check_non_negative("traffic", traffic)
    _check_positive("aht_s", aht_s)
    _check_non_negative("target_s", target_s)
    _check_agents(agents, minimum=1)
    if math.isnan(patience_s) or patience_s <= 0:
        raise ValueError(f"patience_s must be > 0, got {patience_s!r}")
    if math.isinf(patience_s):
        return erlang_c_for_traffic(traffic, aht_s, agents, target_s)
    if traffic == 0.0:
        return QueueMetrics(traffic, agents, 0.0, 1.0, 0.0, 0.0, 0.0)

    theta = 1.0 / patience_s
    x = agents * patience_s / aht_s
    y = traffic * patience_s / aht_s
    inverse_b = _inverse_erlang_b(agents, traffic)
    if y < x + 1.0:
        series, moment = mz_series(x, y)
        log_a = math.log(series)
    else:
        log_a = log_mz_a(x, y)
        moment = math.nan
    # p_wait = A·B/(1 + (A−1)·B) = 1/(1 + (1/B − 1)/A), safe for huge A or tiny B.
    p_wait = 1.0 / (1.0 + (inverse_b - 1.0) * math.exp(-log_a))
    log_pi_n = math.log(p_wait) - log_a if p_wait > 0.0 else -math.inf
    pi_n = math.exp(log_pi_n)
    # Underloaded side: θ·E[Q]/λ from the series, free of cancellation. Overloaded side
    # (λ ≥ Nμ + θ): the closed form cancels nothing, abandonment is at least 1 − 1/ρ.
    overloaded = p_wait * (1.0 - x / y) + pi_n * x / y
    p_abandon = pi_n * moment / y if y < x + 1.0 else overloaded
    p_abandon = min(max(p_abandon, 0.0), p_wait)

    late = p_wait - p_abandon  # P(answered, but after T): everyone who waits, at T = 0
    if p_wait > 0.0 and target_s > 0.0:  # π_N may underflow while π_N·A(·) does not
        decay = theta * target_s
        z = y * math.exp(-decay)
        log_late = (
            log_pi_n
            + math.log(x / (x + 1.0))
            + log_mz_a(x + 1.0, z)
            - y * math.expm1(-decay)
            - (x + 1.0) * decay
        )
        late = math.exp(log_late)
    # Callers answered at once are within T, abandoners are not: 1 − p_wait ≤ SL ≤ 1 − p_ab.
    # The log-space terms are of order y = λ·patience, so SL is good to about 1e-16·y.
    service_level = min(max(1.0 - p_abandon - late, 1.0 - p_wait), 1.0 - p_abandon)
    return QueueMetrics(
        traffic=traffic,
        agents=agents,
        p_wait=p_wait,
        service_level=service_level,
        asa=p_abandon * patience_s,
        occupancy=min(traffic * (1.0 - p_abandon) / agents, 1.0),
        p_abandon=p_abandon,
    )


def erlang_a_metrics(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    target_s: float,
    patience_s: float,
) -> QueueMetrics:
    """Erlang A measures of an interval; patience is exponential with mean ``patience_s``."""
    traffic = traffic_intensity(calls, interval_s, aht_s)
    return erlang_a_for_traffic(traffic, aht_s, agents, target_s, patience_s)
