"""Confidence intervals over independent replications (Student t, no SciPy).

Each replication yields one value of a measure; the replications are independent and, by the
central limit theorem, their mean is close to normal, so the 95 % interval is
``mean ± t(0.975, n − 1) · s / √n`` (Law, *Simulation Modeling and Analysis*, 5th ed., §9.4.1,
the "replication/deletion" approach with a warm-up period deleted).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Two-sided 95 % quantiles t(0.975, df) of Student's t distribution (NIST/SEMATECH
# e-Handbook of Statistical Methods, §1.3.6.7.2, "Critical values of the Student's t
# distribution"); df = ∞ is the normal quantile 1.959964.
_T975: dict[int, float] = {
    1: 12.706205,
    2: 4.302653,
    3: 3.182446,
    4: 2.776445,
    5: 2.570582,
    6: 2.446912,
    7: 2.364624,
    8: 2.306004,
    9: 2.262157,
    10: 2.228139,
    11: 2.200985,
    12: 2.178813,
    13: 2.160369,
    14: 2.144787,
    15: 2.131450,
    16: 2.119905,
    17: 2.109816,
    18: 2.100922,
    19: 2.093024,
    20: 2.085963,
    21: 2.079614,
    22: 2.073873,
    23: 2.068658,
    24: 2.063899,
    25: 2.059539,
    26: 2.055529,
    27: 2.051831,
    28: 2.048407,
    29: 2.045230,
    30: 2.042272,
    40: 2.021075,
    50: 2.008559,
    60: 2.000298,
    80: 1.990063,
    100: 1.983972,
    120: 1.979930,
}
_Z975 = 1.959964


def t_quantile_975(df: int) -> float:
    """t(0.975, df); between tabulated values, linear in 1/df (exact to about 1e-4)."""
    if df < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if df in _T975:
        return _T975[df]
    if df > 120:
        low_df, low, high_inverse, high = 120, _T975[120], 0.0, _Z975
    else:
        low_df = max(k for k in _T975 if k < df)
        high_df = min(k for k in _T975 if k > df)
        low, high_inverse, high = _T975[low_df], 1.0 / high_df, _T975[high_df]
    share = (1.0 / df - high_inverse) / (1.0 / low_df - high_inverse)
    return high + share * (low - high)


@dataclass(frozen=True)
class Estimate:
    """A mean over replications and the half-width of its 95 % confidence interval
    (``None`` with a single replication: one value says nothing about the spread)."""

    mean: float
    half_width: float | None

    @property
    def low(self) -> float:
        return self.mean - (self.half_width or 0.0)

    @property
    def high(self) -> float:
        return self.mean + (self.half_width or 0.0)

    def covers(self, value: float) -> bool:
        return self.half_width is not None and self.low <= value <= self.high


def estimate(values: Sequence[float]) -> Estimate:
    """Mean and 95 % half-width; measures with no data in a replication (NaN) are skipped."""
    data = [value for value in values if not math.isnan(value)]
    if not data:
        return Estimate(math.nan, None)
    mean = math.fsum(data) / len(data)
    if len(data) < 2:
        return Estimate(mean, None)
    variance = math.fsum((value - mean) ** 2 for value in data) / (len(data) - 1)
    return Estimate(mean, t_quantile_975(len(data) - 1) * math.sqrt(variance / len(data)))
