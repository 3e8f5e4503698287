"""The router's runtime rows are visible to the tenant's admin and never editable there."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pasokh.router import service
from pasokh.router.actions import do_set_agent_state
from pasokh.router.models import Queue
from pasokh.router.tests.floor import build_floor
from pasokh.tenancy.models import Holiday, Role, User

WEEK = ("saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday")

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


def test_a_queue_cannot_overflow_to_a_missing_queue_or_one_that_takes_none_of_its_channels() -> (
    None
):
    floor = build_floor()
    voice = Queue.objects.get(tenant=floor.tenant, code="voice-sales")
    voice.steps = [{"after_s": 60, "overflow_to": "chat-sales"}]
    with pytest.raises(ValidationError) as refused:
        voice.full_clean()
    assert [e.code for e in refused.value.error_dict["steps"]] == ["channels"]
    voice.steps = [{"after_s": 60, "overflow_to": "nowhere"}]
    with pytest.raises(ValidationError) as refused:
        voice.full_clean()
    assert [e.code for e in refused.value.error_dict["steps"]] == ["unknown"]
    voice.channels = ["voice", "chat"]
    voice.steps = [{"after_s": 60, "overflow_to": "chat-sales"}]
    voice.full_clean()


def test_a_holiday_the_admin_adds_for_today_closes_the_running_engine_at_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    service.reset_engines()
    floor = build_floor(slug="shahr-tatil")
    tenant = floor.tenant
    always_open = {day: [{"opens": "00:00", "closes": "24:00"}] for day in WEEK}
    tenant.business_week = always_open
    tenant.save(update_fields=["business_week"])
    do_set_agent_state(floor.agents[0], "ready")  # the engine runs with today open
    now = timezone.now()
    assert service.engine_for(tenant.pk).schedule.is_open(now)

    admin = User.objects.create(
        username="tatil-admin", tenant=tenant, role=Role.ADMIN, is_staff=True, password="!"
    )
    client.force_login(admin)
    today = timezone.localtime(now, ZoneInfo(tenant.time_zone)).date()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/tenancy/holiday/add/",
            {"date": today.isoformat(), "name_fa": "تعطیل", "name_en": "Closed", "closed": "on"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not service.engine_for(tenant.pk).schedule.is_open(now)

    holiday = Holiday.objects.get(tenant=tenant, date=today)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/tenancy/holiday/{holiday.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert service.engine_for(tenant.pk).schedule.is_open(now)
