"""Random durations of a simulated contact: handle time and caller patience.

Each distribution is a small frozen value that draws from a ``random.Random`` handed to it,
so that a replication's randomness lives in its own seeded generators and a run repeats
exactly. Every time is in seconds.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ScenarioError(ValueError):
    """A scenario that cannot be simulated; the message says which field and why."""


class Shape(StrEnum):
    EXPONENTIAL = "exponential"
    LOGNORMAL = "lognormal"
    FIXED = "fixed"


@dataclass(frozen=True)
class Duration:
    """A positive random duration with mean ``mean_s``.

    ``cv`` (coefficient of variation, standard deviation / mean) shapes the lognormal only:
    call handle times are commonly lognormal (Brown et al. 2005, "Statistical analysis of a
    telephone call center", JASA 100(469)), while Erlang C and A assume exponential ones.
    """

    shape: Shape
    mean_s: float
    cv: float = 1.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.mean_s) or self.mean_s <= 0:
            raise ScenarioError(f"mean_s must be a number greater than 0, got {self.mean_s!r}")
        if not math.isfinite(self.cv) or self.cv <= 0:
            raise ScenarioError(f"cv must be a number greater than 0, got {self.cv!r}")

    def sample(self, rng: random.Random) -> float:
        if self.shape is Shape.EXPONENTIAL:
            return rng.expovariate(1.0 / self.mean_s)
        if self.shape is Shape.LOGNORMAL:
            # For a lognormal with mean m and cv c: σ² = ln(1 + c²), μ = ln m − σ²/2.
            sigma2 = math.log1p(self.cv * self.cv)
            return rng.lognormvariate(math.log(self.mean_s) - sigma2 / 2.0, math.sqrt(sigma2))
        return self.mean_s

    @classmethod
    def from_dict(cls, where: str, data: Any) -> Duration:
        """``{distribution = "lognormal", mean_s = 180, cv = 0.8}``; a bare number is fixed."""
        if isinstance(data, int | float) and not isinstance(data, bool):
            return cls(Shape.FIXED, float(data))
        if not isinstance(data, dict):
            raise ScenarioError(f"{where}: expected a table such as {{mean_s = 180}}")
        unknown = set(data) - {"distribution", "mean_s", "cv"}
        if unknown:
            raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        name = data.get("distribution", Shape.EXPONENTIAL.value)
        try:
            shape = Shape(name)
        except ValueError:
            choices = ", ".join(shape.value for shape in Shape)
            raise ScenarioError(f"{where}: distribution must be one of {choices}") from None
        if "cv" in data and shape is not Shape.LOGNORMAL:
            raise ScenarioError(f"{where}: cv applies to the lognormal distribution only")
        try:
            return cls(shape, _number(data.get("mean_s")), _number(data.get("cv", 1.0)))
        except ScenarioError as error:
            raise ScenarioError(f"{where}: {error}") from None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"distribution": self.shape.value, "mean_s": self.mean_s}
        if self.shape is Shape.LOGNORMAL:
            result["cv"] = self.cv
        return result


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"expected a number, got {value!r}")
    return float(value)


def patience_from_dict(where: str, data: Any) -> Duration | None:
    """Patience: ``"none"`` (or absent) means callers wait as long as it takes (Erlang C)."""
    if data is None or data == "none":
        return None
    duration = Duration.from_dict(where, data)
    return duration
