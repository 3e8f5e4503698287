"""Fixtures shared by the Django apps' tests: two small demo tenants side by side.

Imports of Django code happen inside the fixtures, so the pure packages' tests (routing,
wfm, simulation, persian) never load Django through this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pasokh.tenancy.models import Tenant, User


@dataclass(frozen=True)
class TenantPair:
    home: Tenant
    other: Tenant

    def user(self, username: str) -> User:
        from pasokh.tenancy.models import User

        return User.objects.get(username=username)


@pytest.fixture
def tenants(db: Any) -> TenantPair:
    """DigiNoo (users `agent`, `supervisor`, `admin` …) and a second business (`b_agent` …)."""
    from pasokh.demo.builder import DemoSpec, build_demo

    home = build_demo(DemoSpec(customers=6, history=12, seed=1)).tenant
    other = build_demo(
        DemoSpec(
            slug="other", name="Other Co", username_prefix="b_", customers=6, history=12, seed=2
        )
    ).tenant
    return TenantPair(home=home, other=other)
