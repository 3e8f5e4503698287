"""A small tenant without the whole demo: fast fixtures for casework tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pasokh.tenancy.models import Tenant, User


@dataclass(frozen=True)
class Shop:
    tenant: Tenant
    supervisor: User
    agent: User


def make_shop(slug: str = "shop") -> Shop:
    from pasokh.tenancy.actions import do_create_tenant, do_create_user, do_seed_official_holidays

    tenant = do_create_tenant(name="فروشگاه", slug=slug)
    do_seed_official_holidays(tenant, [2026])
    supervisor = do_create_user(
        tenant=tenant,
        username=f"{slug}-sup",
        password="x-pass-1405",
        role="supervisor",
        first_name="مریم",
        last_name="کاظمی",
        teams=[],
    )
    agent = do_create_user(
        tenant=tenant,
        username=f"{slug}-agent",
        password="x-pass-1405",
        role="agent",
        first_name="علی",
        last_name="رضایی",
        teams=[],
    )
    return Shop(tenant=tenant, supervisor=supervisor, agent=agent)


@pytest.fixture
def shop(db: Any) -> Shop:
    return make_shop()
