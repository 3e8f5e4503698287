"""Numerically stable special functions for the queueing formulas, in pure Python.

Only what Erlang A needs: the logarithm of the Mandelbaum–Zeltyn function

    A(x, y) = x·e^y·y^(−x)·γ(x, y) = 1 + Σ_{j≥1} y^j / ((x+1)(x+2)…(x+j)),

where γ is the lower incomplete gamma function. Everything is kept in log space, so the
arguments may be in the millions (patience ≫ handle time) without overflow.
"""

from __future__ import annotations

import math

_EPS = 1e-17
_TINY = 1e-300
_MAX_ITERATIONS = 10_000_000


def mz_series(x: float, y: float) -> tuple[float, float]:
    """``(S, M)`` with ``S = Σ_{j≥0} t_j = A(x, y)`` and ``M = Σ_{j≥0} j·t_j``.

    ``t_0 = 1``, ``t_j = t_{j−1}·y/(x+j)``. Only for ``y < x + 1``, where every term after
    the first is smaller than the one before, so the plain sum neither overflows nor
    cancels. ``M/S`` is the mean queue length seen by a delayed arrival in Erlang A.
    """
    total = 1.0
    moment = 0.0
    term = 1.0
    j = 0
    while j < _MAX_ITERATIONS:
        j += 1
        term *= y / (x + j)
        total += term
        moment += j * term
        if term < _EPS * total and j * term < _EPS * (moment + _TINY):
            return total, moment
    raise ArithmeticError(f"series for A({x}, {y}) did not converge")  # pragma: no cover


def _log_upper_gamma_q(a: float, z: float) -> float:
    """``log Q(a, z)``, the regularized upper incomplete gamma, by Lentz's continued fraction.

    Converges quickly for ``z > a + 1`` (Numerical Recipes, 3rd ed., §6.2).
    """
    b = z + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    i = 0
    while i < _MAX_ITERATIONS:
        i += 1
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return a * math.log(z) - z - math.lgamma(a) + math.log(h)
    raise ArithmeticError(
        f"continued fraction for Q({a}, {z}) did not converge"
    )  # pragma: no cover


def log_mz_a(x: float, y: float) -> float:
    """``log A(x, y)`` for ``x > 0``, ``y ≥ 0`` (Mandelbaum & Zeltyn 2007, eq. (3.3))."""
    if x <= 0.0 or y < 0.0:
        raise ValueError("A(x, y) needs x > 0 and y >= 0")
    if y == 0.0:
        return 0.0
    if y < x + 1.0:
        return math.log(mz_series(x, y)[0])
    # A = e^y · y^(−x) · Γ(x+1) · P(x, y) and P = 1 − Q with Q ≤ ~½ in this region.
    q = math.exp(_log_upper_gamma_q(x, y))
    return y - x * math.log(y) + math.lgamma(x + 1.0) + math.log1p(-q)
