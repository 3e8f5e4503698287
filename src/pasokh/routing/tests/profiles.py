"""Hypothesis profiles for the routing core: many histories on CI, fewer on a laptop.

``CI=true`` selects ``routing-ci`` (2,000 histories of up to 30 rules each); otherwise
``routing-dev`` runs 200. The routing tests apply ``ROUTING_SETTINGS`` themselves, so importing
this module never changes other packages' Hypothesis settings.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "stateful_step_count": 30,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}
settings.register_profile("routing-ci", max_examples=2_000, **_COMMON)
settings.register_profile("routing-dev", max_examples=200, **_COMMON)

ROUTING_PROFILE = "routing-ci" if os.environ.get("CI") == "true" else "routing-dev"
ROUTING_SETTINGS = settings.get_profile(ROUTING_PROFILE)
