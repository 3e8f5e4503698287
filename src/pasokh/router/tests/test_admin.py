"""The router's runtime rows are visible to the tenant's admin and never editable there."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.router import service
from pasokh.router.actions import do_set_agent_state
from pasokh.router.tests.floor import build_floor
from pasokh.tenancy.models import Role, User

pytestmark = pytest.mark.django_db


def test_an_admin_sees_presence_and_the_event_log_but_cannot_add_or_change_them(
    client: Client,
) -> None:
    service.reset_engines()
    floor = build_floor()
    do_set_agent_state(floor.agents[0], "ready")
    admin = User.objects.create(
        username="shahr-admin", tenant=floor.tenant, role=Role.ADMIN, is_staff=True, password="!"
    )
    client.force_login(admin)
    for model in ("agentpresence", "routingevent", "queueentry"):
        assert client.get(f"/admin/router/{model}/").status_code == 200
        assert client.get(f"/admin/router/{model}/add/").status_code == 403
    page = client.get("/admin/router/routingevent/").content.decode()
    assert "agent.state_changed" in page
