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


def _build_pair() -> TenantPair:
    from pasokh.demo.builder import DemoSpec, build_demo

    home = build_demo(DemoSpec(customers=6, history=12, seed=1)).tenant
    other = build_demo(
        DemoSpec(
            slug="other", name="Other Co", username_prefix="b_", customers=6, history=12, seed=2
        )
    ).tenant
    return TenantPair(home=home, other=other)


@pytest.fixture
def tenants(db: Any) -> TenantPair:
    """DigiNoo (users `agent`, `supervisor`, `admin` …) and a second business (`b_agent` …)."""
    return _build_pair()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium() -> Any:
    """Debian's Chromium driven by Playwright (the browser tests' only browser).

    Playwright's sync API runs an event loop in the test's thread while it is open, and
    code that sees a running loop hands database work to other threads. So the browser is
    started per test, after the test's data fixtures: list ``tenants`` before ``chromium``.
    """
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
