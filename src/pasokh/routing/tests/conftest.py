"""Hypothesis profiles for the routing core: many histories on CI, fewer on a laptop."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "routing-ci",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("routing-dev", max_examples=200, deadline=None)
settings.load_profile("routing-ci" if os.environ.get("CI") == "true" else "routing-dev")
