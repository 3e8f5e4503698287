"""Validation of the Erlang B / C / A formulas against published figures and limits."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pasokh.wfm._gamma import log_mz_a, mz_series
from pasokh.wfm.erlang import (
    UnstableQueueError,
    erlang_a_for_traffic,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_for_traffic,
    erlang_c_metrics,
    traffic_intensity,
)

# --------------------------------------------------------------------------- Erlang B


def _erlang_b_full(agents: int, traffic: float) -> float:
    """The textbook recursion B(0)=1, B(n)=A·B(n−1)/(n+A·B(n−1)), from n = 0."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


@pytest.mark.parametrize(
    ("agents", "traffic", "expected"),
    [
        # pyworkforce tests/test_erlang_b.py (github.com/rodrigo-arenas/pyworkforce):
        # "B(1, A=1) = 1/(1+1) = 0.5 (exact)", "B(2, A=1) = 0.5/2.5 = 0.2 (exact)".
        (1, 1.0, 0.5),
        (2, 1.0, 0.2),
        # Wolfram Language ErlangB documentation, "Applications": five lines, three
        # one-hour calls per hour (A = 3) -> (3^5/5!)/Σ_{k≤5} 3^k/k! = 2.025/18.4 = 81/736;
        # four modems at 2 Erlangs -> (2^4/4!)/7 = 2/21; six modems -> 4/331.
        (5, 3.0, 81 / 736),
        (4, 2.0, 2 / 21),
        (6, 2.0, 4 / 331),
    ],
)
def test_erlang_b_published_exact_values(agents: int, traffic: float, expected: float) -> None:
    assert erlang_b(agents, traffic) == pytest.approx(expected, abs=1e-12)


def test_erlang_b_table_ten_erlangs_two_percent_needs_17_trunks() -> None:
    """pyworkforce tests/test_erlang_b.py::test_required_positions_known_value: 10 Erlangs
    at a 2 % grade of service need 17 circuits (as in any Erlang B table)."""
    assert erlang_b(17, 10.0) <= 0.02 < erlang_b(16, 10.0)


@settings(max_examples=200, deadline=None)
@given(
    agents=st.integers(min_value=0, max_value=3000),
    traffic=st.floats(min_value=0.01, max_value=3000.0),
)
def test_erlang_b_shortcut_equals_full_recursion(agents: int, traffic: float) -> None:
    """The O(√A) start of the recursion agrees with the full recursion from n = 0."""
    assert erlang_b(agents, traffic) == pytest.approx(
        _erlang_b_full(agents, traffic), rel=1e-9, abs=1e-300
    )


# --------------------------------------------------------------------------- Erlang C

# Sources for the 100 calls / 30 min / AHT 180 s / 80 % in 20 s example:
# * pyworkforce README and tests/test_erlang.py::test_expected_erlangc_results
#   (ErlangC(transactions=100, asa=20/60, aht=3, interval=30, shrinkage=0.3),
#   required_positions(service_level=0.8, max_occupancy=0.85)): raw_positions 14,
#   positions 20, round(service_level, 3) == 0.888, round(occupancy, 3) == 0.714,
#   round(waiting_probability, 3) == 0.174; with max_occupancy=0.7: 15 / 22 positions,
#   service level 0.941, occupancy 0.667, waiting probability 0.102.
# * pyworkforce examples cite the same scenario from Call Centre Helper, "Erlang C
#   formula — made simple" (callcentrehelper.com/erlang-c-formula-example-121281.htm).


def test_erlang_c_pyworkforce_worked_example_14_agents() -> None:
    metrics = erlang_c_metrics(calls=100, interval_s=1800, aht_s=180, agents=14, target_s=20)
    assert metrics.traffic == pytest.approx(10.0, abs=1e-12)
    assert round(metrics.p_wait, 3) == 0.174
    assert round(metrics.service_level, 3) == 0.888
    assert round(metrics.occupancy, 3) == 0.714
    # Full precision, computed independently from the textbook formula with A^N/N!
    # (exact rational arithmetic is safe at this size): C(14, 10) = 0.174131933595...
    terms = [10.0**k / math.factorial(k) for k in range(14)]
    top = 10.0**14 / math.factorial(14) * 14 / (14 - 10)
    textbook = top / (sum(terms) + top)
    assert metrics.p_wait == pytest.approx(textbook, abs=1e-12)
    assert metrics.service_level == pytest.approx(1 - textbook * math.exp(-4 * 20 / 180), 1e-12)
    assert metrics.asa == pytest.approx(textbook * 180 / 4, abs=1e-9)


def test_erlang_c_pyworkforce_over_occupancy_example_15_agents() -> None:
    metrics = erlang_c_metrics(calls=100, interval_s=1800, aht_s=180, agents=15, target_s=20)
    assert round(metrics.service_level, 3) == 0.941
    assert round(metrics.occupancy, 3) == 0.667
    assert round(metrics.p_wait, 3) == 0.102


def test_erlang_c_unstable_queue_is_refused() -> None:
    with pytest.raises(UnstableQueueError, match="unstable"):
        erlang_c(10, 10.0)
    with pytest.raises(UnstableQueueError):
        erlang_c_metrics(100, 1800, 180, 9, 20)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"calls": -1.0}, "calls"),
        ({"interval_s": 0.0}, "interval_s"),
        ({"aht_s": -3.0}, "aht_s"),
        ({"target_s": -1.0}, "target_s"),
        ({"agents": -2}, "agents"),
    ],
)
def test_erlang_c_rejects_bad_input(kwargs: dict[str, float], name: str) -> None:
    args: dict[str, float] = {
        "calls": 100,
        "interval_s": 1800,
        "aht_s": 180,
        "agents": 14,
        "target_s": 20,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        erlang_c_metrics(**args)  # type: ignore[arg-type]


def test_no_calls_is_perfect_service() -> None:
    metrics = erlang_c_metrics(0, 1800, 180, 1, 20)
    assert (metrics.p_wait, metrics.service_level, metrics.asa, metrics.occupancy) == (
        0.0,
        1.0,
        0.0,
        0.0,
    )
    assert erlang_a_metrics(0, 1800, 180, 1, 20, 60).p_abandon == 0.0


@settings(max_examples=150, deadline=None)
@given(
    traffic=st.floats(min_value=0.05, max_value=2000.0),
    extra=st.integers(min_value=1, max_value=60),
    target=st.floats(min_value=0.0, max_value=600.0),
)
def test_erlang_c_probabilities_and_monotone_in_agents(
    traffic: float, extra: int, target: float
) -> None:
    agents = math.floor(traffic) + extra
    here = erlang_c_for_traffic(traffic, 180.0, agents, target)
    more = erlang_c_for_traffic(traffic, 180.0, agents + 1, target)
    for metrics in (here, more):
        assert 0.0 <= metrics.p_wait <= 1.0
        assert 0.0 <= metrics.service_level <= 1.0
        assert 0.0 <= metrics.occupancy < 1.0
        assert metrics.asa >= 0.0
    assert more.p_wait <= here.p_wait + 1e-15
    assert more.service_level >= here.service_level - 1e-15
    assert more.asa <= here.asa + 1e-12


def test_erlang_c_stable_for_five_thousand_agents() -> None:
    metrics = erlang_c_for_traffic(4900.0, 180.0, 5000, 20.0)
    assert 0.0 < metrics.p_wait < 1.0
    assert math.isfinite(metrics.asa)
    # Halfin–Whitt: with N = A + β√A the delay probability tends to
    # [1 + β·Φ(β)/φ(β)]^(−1); β = 100/70 ≈ 1.43 gives ≈ 0.089.
    beta = 100 / math.sqrt(4900)
    phi = math.exp(-(beta**2) / 2) / math.sqrt(2 * math.pi)
    big_phi = 0.5 * (1 + math.erf(beta / math.sqrt(2)))
    assert metrics.p_wait == pytest.approx(1 / (1 + beta * big_phi / phi), abs=0.01)
    assert erlang_c(50_000, 49_500.0) > 0.0


# --------------------------------------------------------------------------- Erlang A


def test_erlang_a_pyworkforce_published_snapshot() -> None:
    """pyworkforce tests/test_abandonment.py::test_erlanga_regression_metrics
    (ErlangA(transactions=100, aht=3, asa=20/60, interval=30, patience=5), 14 positions;
    computed there from the truncated birth–death chain and uniformization, i.e. by a
    different method than ours): waiting probability 0.14526 (5 dp), abandonment
    0.013984, occupancy 0.704297, ASA 0.069919 min, service level (20 s) 0.916792."""
    metrics = erlang_a_metrics(
        calls=100, interval_s=1800, aht_s=180, agents=14, target_s=20, patience_s=300
    )
    assert round(metrics.p_wait, 5) == 0.14526
    assert round(metrics.p_abandon, 6) == 0.013984
    assert round(metrics.occupancy, 6) == 0.704297
    assert round(metrics.asa / 60, 6) == 0.069919
    assert round(metrics.service_level, 6) == 0.916792


def _erlang_a_brute_force(
    traffic: float, aht_s: float, agents: int, target_s: float, patience_s: float
) -> tuple[float, float, float]:
    """(p_wait, p_abandon, service_level) from the truncated birth–death chain
    (death rate min(k,N)μ + max(k−N,0)θ) and, for the service level, uniformization of
    the tagged caller's chain (j ahead: moves on at rate Nμ + jθ, abandons at rate θ)."""
    mu, theta = 1 / aht_s, 1 / patience_s
    lam = traffic * mu
    probs = [1.0]
    k = 0
    while True:
        k += 1
        probs.append(probs[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * theta))
        if k > agents and probs[-1] < 1e-18 * sum(probs):
            break
    total = sum(probs)
    probs = [p / total for p in probs]
    p_wait = sum(probs[agents:])
    queue = sum((k - agents) * p for k, p in enumerate(probs) if k > agents)
    p_abandon = theta * queue / lam
    ahead_max = len(probs) - agents
    rate = agents * mu + ahead_max * theta + theta
    served_by = [0.0] * ahead_max  # Σ_m Poisson(m)·g_m(j)
    g = [0.0] * ahead_max  # P(served within m uniformized steps | j ahead)
    weight = math.exp(-rate * target_s)
    steps = int(rate * target_s + 12 * math.sqrt(rate * target_s) + 30)
    for m in range(1, steps + 1):
        g = [
            (agents * mu + j * theta) / rate * (g[j - 1] if j else 1.0)
            + (1 - (agents * mu + (j + 1) * theta) / rate) * g[j]
            for j in range(ahead_max)
        ]
        weight *= rate * target_s / m
        served_by = [s + weight * gj for s, gj in zip(served_by, g, strict=True)]
    # Σ_m Poisson(m)·g_m with the remaining tail mass approximated by the last g.
    service_level = sum(probs[:agents]) + sum(
        probs[agents + j] * served_by[j] for j in range(ahead_max)
    )
    return p_wait, p_abandon, service_level


@pytest.mark.parametrize(
    ("traffic", "agents", "target_s", "patience_s"),
    [
        (10.0, 14, 20.0, 300.0),
        (10.0, 8, 30.0, 120.0),  # fewer agents than Erlangs: stable only with abandonment
        (3.0, 3, 60.0, 30.0),
        (25.0, 27, 15.0, 600.0),
        (40.0, 30, 10.0, 45.0),  # heavily overloaded: y > x + 1 branch
    ],
)
def test_erlang_a_matches_birth_death_chain(
    traffic: float, agents: int, target_s: float, patience_s: float
) -> None:
    p_wait, p_abandon, service_level = _erlang_a_brute_force(
        traffic, 180.0, agents, target_s, patience_s
    )
    metrics = erlang_a_for_traffic(traffic, 180.0, agents, target_s, patience_s)
    assert metrics.p_wait == pytest.approx(p_wait, abs=1e-9)
    assert metrics.p_abandon == pytest.approx(p_abandon, abs=1e-9)
    assert metrics.service_level == pytest.approx(service_level, abs=1e-7)
    assert metrics.asa == pytest.approx(p_abandon * patience_s, abs=1e-6)


def test_erlang_a_tends_to_erlang_c_as_patience_grows() -> None:
    erlang_c_14 = erlang_c_for_traffic(10.0, 180.0, 14, 20.0)
    previous_gap = math.inf
    for patience in (1e3, 1e4, 1e5, 1e6, 1e8):
        metrics = erlang_a_for_traffic(10.0, 180.0, 14, 20.0, patience)
        gap = abs(metrics.service_level - erlang_c_14.service_level)
        assert gap < previous_gap
        previous_gap = gap
    assert metrics.p_wait == pytest.approx(erlang_c_14.p_wait, abs=1e-6)
    assert metrics.service_level == pytest.approx(erlang_c_14.service_level, abs=1e-6)
    assert metrics.asa == pytest.approx(erlang_c_14.asa, abs=1e-4)
    assert metrics.occupancy == pytest.approx(erlang_c_14.occupancy, abs=1e-6)
    assert erlang_a_for_traffic(10.0, 180.0, 14, 20.0, math.inf) == erlang_c_14


def test_erlang_a_tends_to_erlang_b_as_patience_vanishes() -> None:
    """Callers who hang up at once are the loss system: P(abandon) → B(N, A)."""
    metrics = erlang_a_for_traffic(10.0, 180.0, 14, 20.0, 1e-6)
    assert metrics.p_abandon == pytest.approx(erlang_b(14, 10.0), abs=1e-6)
    assert metrics.service_level == pytest.approx(1 - erlang_b(14, 10.0), abs=1e-6)


def test_mz_function_series_and_gamma_branches_agree() -> None:
    """A(x, y) from the series and from the continued fraction meet at y = x + 1."""
    for x in (0.5, 3.0, 40.0, 1000.0):
        y = x + 1.0
        below = math.log(mz_series(x, y - 1e-9)[0])
        assert log_mz_a(x, y) == pytest.approx(below, rel=1e-7)


@settings(max_examples=100, deadline=None)
@given(
    traffic=st.floats(min_value=0.1, max_value=500.0),
    agents=st.integers(min_value=1, max_value=600),
    patience=st.floats(min_value=1.0, max_value=1e5),
    target=st.floats(min_value=0.0, max_value=300.0),
)
def test_erlang_a_probabilities_and_monotone_in_agents(
    traffic: float, agents: int, patience: float, target: float
) -> None:
    here = erlang_a_for_traffic(traffic, 200.0, agents, target, patience)
    more = erlang_a_for_traffic(traffic, 200.0, agents + 1, target, patience)
    for metrics in (here, more):
        for value in (metrics.p_wait, metrics.p_abandon, metrics.service_level):
            assert 0.0 <= value <= 1.0
        assert 0.0 <= metrics.occupancy <= 1.0 + 1e-12
        assert metrics.p_abandon <= metrics.p_wait
    assert more.p_wait <= here.p_wait + 1e-9
    assert more.p_abandon <= here.p_abandon + 1e-9
    assert more.service_level >= here.service_level - 1e-9


def test_erlang_a_stable_for_five_thousand_agents() -> None:
    for traffic in (4800.0, 5000.0, 5600.0):
        metrics = erlang_a_for_traffic(traffic, 180.0, 5000, 20.0, 120.0)
        assert all(
            math.isfinite(v) and 0.0 <= v <= 1.0
            for v in (metrics.p_wait, metrics.p_abandon, metrics.service_level)
        )
    # Overloaded by 12 %: at least the excess 1 − N/A must abandon.
    assert metrics.p_abandon >= 1 - 5000 / 5600 - 1e-9


def test_traffic_intensity() -> None:
    assert traffic_intensity(100, 1800, 180) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="interval_s"):
        traffic_intensity(100, 0, 180)
