"""Fixtures of the voice tests: committed demo tenants (the service's threads must see them),
rtpengine, and the voice service running in a thread of the test process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pasokh.voice.tests.peers import PortPool, Rtpengine

ALWAYS_OPEN = {
    day: [{"opens": "00:00", "closes": "24:00"}]
    for day in ("saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday")
}


@dataclass
class VoiceLab:
    tenants: Any
    service: Any
    rtpengine: Rtpengine
    ports: PortPool
    workdir: Path

    @property
    def sip(self) -> tuple[str, int]:
        return self.service.config.listen

    def set_hours(self, week: dict[str, Any]) -> None:
        from pasokh.tenancy.calendars import calendar_changed
        from pasokh.tenancy.models import Holiday

        tenant = self.tenants.home
        tenant.business_week = week
        tenant.save(update_fields=["business_week"])
        Holiday.objects.filter(tenant=tenant).delete()
        calendar_changed(tenant)  # as the admin's edit does: the router's engine follows

    def close_today(self) -> None:
        """Today becomes a holiday in the tenant's calendar: the business is closed."""
        from django.utils import timezone

        from pasokh.tenancy.calendars import calendar_changed
        from pasokh.tenancy.models import Holiday

        tenant = self.tenants.home
        today = timezone.localtime(timezone=ZoneInfo(tenant.time_zone)).date()
        Holiday.objects.create(tenant=tenant, date=today, name_fa="تعطیل", closed=True)
        calendar_changed(tenant)

    def quiet_routing(self) -> None:
        """No waiting demo work and no agent signed in: each test brings its own."""
        from pasokh.router.models import QueueEntry
        from pasokh.router.runtime_models import EntryStatus
        from pasokh.router.service import RoutingError, submit
        from pasokh.routing import commands as c
        from pasokh.tenancy.models import Role, User

        tenant_id = self.tenants.home.pk
        live = QueueEntry.objects.filter(tenant_id=tenant_id).exclude(status=EntryStatus.FINAL)
        for interaction_id in list(live.values_list("interaction_id", flat=True)):
            submit(tenant_id, c.CancelInteraction(interaction_id, "test"))
        for user_id in User.objects.filter(tenant_id=tenant_id, role=Role.AGENT).values_list(
            "pk", flat=True
        ):
            with contextlib.suppress(RoutingError):
                submit(tenant_id, c.LogOutAgent(str(user_id)))


def _voice_lab(tmp_path: Path, settings: Any, *, routing_from_log: bool) -> Iterator[VoiceLab]:
    from pasokh.conftest import _build_pair
    from pasokh.voice.service import VoiceService, VoiceSettings

    settings.MEDIA_ROOT = tmp_path / "media"
    tenants = _build_pair()
    ports = PortPool()
    dtmf_port = ports.take()
    with Rtpengine(tmp_path, ports, dtmf_port) as rtpengine:
        service = VoiceService(
            VoiceSettings(
                listen=("127.0.0.1", ports.take()),
                rtpengine=("127.0.0.1", rtpengine.ng_port),
                dtmf_listen=("127.0.0.1", dtmf_port),
                recordings=rtpengine.recordings,
            )
        )
        service.start_in_thread(routing_from_log=routing_from_log)
        lab = VoiceLab(tenants, service, rtpengine, ports, tmp_path)
        lab.set_hours(ALWAYS_OPEN)
        lab.quiet_routing()
        try:
            yield lab
        finally:
            service.stop()


@pytest.fixture
def voice_lab(transactional_db: Any, tmp_path: Path, settings: Any) -> Iterator[VoiceLab]:
    """The voice service as inside ``pasokh run``: routing heard on the in-process bus."""
    yield from _voice_lab(tmp_path, settings, routing_from_log=False)


@pytest.fixture
def voice_lab_from_log(transactional_db: Any, tmp_path: Path, settings: Any) -> Iterator[VoiceLab]:
    """The voice service as ``pasokh voice``: routing read from the router's event log only."""
    yield from _voice_lab(tmp_path, settings, routing_from_log=True)
