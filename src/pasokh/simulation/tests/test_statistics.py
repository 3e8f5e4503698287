"""Student-t intervals without SciPy (quantiles from the NIST/SEMATECH e-Handbook table)."""

from __future__ import annotations

import math

import pytest

from pasokh.simulation.statistics import Estimate, estimate, t_quantile_975


@pytest.mark.parametrize(
    ("df", "quantile"),
    [(1, 12.706205), (4, 2.776445), (9, 2.262157), (30, 2.042272), (120, 1.979930)],
)
def test_tabulated_t_quantiles(df: int, quantile: float) -> None:
    assert t_quantile_975(df) == quantile


@pytest.mark.parametrize(
    ("df", "quantile"),
    # R: qt(0.975, c(35, 45, 70, 99, 500, 10000))
    [
        (35, 2.030108),
        (45, 2.014103),
        (70, 1.994437),
        (99, 1.984217),
        (500, 1.964720),
        (10_000, 1.960201),
    ],
)
def test_untabulated_t_quantiles_are_interpolated_closely(df: int, quantile: float) -> None:
    assert t_quantile_975(df) == pytest.approx(quantile, abs=2e-4)


def test_an_interval_is_t_times_the_standard_error() -> None:
    result = estimate([1.0, 2.0, 3.0, 4.0, 5.0])
    assert result.mean == 3.0
    assert result.half_width == pytest.approx(2.776445 * math.sqrt(2.5 / 5))
    assert result.covers(1.1)
    assert not result.covers(0.9)


def test_one_replication_has_no_interval_and_covers_nothing() -> None:
    assert estimate([0.7]) == Estimate(0.7, None)
    assert not estimate([0.7]).covers(0.7)


def test_replications_with_nothing_to_measure_are_left_out() -> None:
    assert estimate([math.nan, 2.0, 4.0]).mean == 3.0
    assert math.isnan(estimate([math.nan]).mean)
