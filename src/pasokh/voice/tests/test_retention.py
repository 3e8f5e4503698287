"""Recordings past the tenant's retention are deleted — file and reference, audited — by
`pasokh voice-purge-recordings` and by the hourly housekeeping of `pasokh run`."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _recorded_call(tenant: Any, name: str, days_ago: float, media_root: Path) -> Any:
    from django.utils import timezone

    from pasokh.voice.models import Call

    path = media_root / "voice" / "recordings" / f"{name}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF" + bytes(40))
    ended = timezone.now() - dt.timedelta(days=days_ago)
    call = Call.objects.create(
        tenant=tenant,
        media_id=name,
        caller="+989121110001",
        state=Call.State.ENDED,
        answered_at=ended - dt.timedelta(minutes=3),
        ended_at=ended,
        recording=f"voice/recordings/{name}.wav",
        recording_seconds=180.0,
    )
    Call.objects.filter(pk=call.pk).update(started_at=ended - dt.timedelta(minutes=4))
    return call


@pytest.fixture
def recordings(tmp_path: Path, settings: Any) -> dict[str, Any]:
    from pasokh.conftest import _build_pair
    from pasokh.voice.actions import do_configure_voice_policy
    from pasokh.voice.models import VoicePolicy

    settings.MEDIA_ROOT = tmp_path
    tenants = _build_pair()
    do_configure_voice_policy(tenant=tenants.home, retention_days=30)
    VoicePolicy.objects.filter(tenant=tenants.other).delete()  # the default: 90 days
    return {
        "media": tmp_path,
        "home_old": _recorded_call(tenants.home, "home-old", 31, tmp_path),
        "home_recent": _recorded_call(tenants.home, "home-recent", 29, tmp_path),
        "other_60": _recorded_call(tenants.other, "other-60", 60, tmp_path),
        "other_91": _recorded_call(tenants.other, "other-91", 91, tmp_path),
    }


def test_the_command_deletes_recordings_past_each_tenants_retention(
    recordings: dict[str, Any], capsys: Any
) -> None:
    from pasokh.audit.models import AuditEntry
    from pasokh.cli.main import main
    from pasokh.voice.models import Call

    media: Path = recordings["media"]
    assert main(["voice-purge-recordings", "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert "2 recordings past their retention would be deleted" in listed
    assert "home-old.wav" in listed
    assert "other-91.wav" in listed
    assert "home-recent" not in listed
    assert "other-60" not in listed
    assert len(list((media / "voice" / "recordings").iterdir())) == 4  # nothing deleted yet

    assert main(["voice-purge-recordings"]) == 0
    assert "2 recordings past their retention deleted" in capsys.readouterr().out
    left = sorted(p.name for p in (media / "voice" / "recordings").iterdir())
    assert left == ["home-recent.wav", "other-60.wav"]
    for key in ("home_old", "other_91"):
        call = Call.objects.get(pk=recordings[key].pk)
        assert call.recording.name == ""
        assert call.recording_seconds is None
        entry = AuditEntry.objects.get(action="voice.recording_purged", object_id=str(call.pk))
        assert entry.tenant_id == call.tenant_id
        assert entry.changes["file"] == f"voice/recordings/{call.media_id}.wav"
        assert entry.changes["reason"] == "retention"
    for key in ("home_recent", "other_60"):
        assert Call.objects.get(pk=recordings[key].pk).recording.name.endswith(".wav")

    assert main(["voice-purge-recordings"]) == 0  # a second pass finds nothing more
    assert "0 recordings" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="voice.recording_purged").count() == 2


def _recording_gone(call_id: int) -> bool:
    """Read in a worker thread, whose connection is closed again (PostgreSQL's test database
    cannot be dropped while a dead thread's connection is open)."""
    from django.db import connections

    from pasokh.voice.models import Call

    try:
        return not Call.objects.filter(pk=call_id).exclude(recording="").exists()
    finally:
        connections.close_all()


def test_pasokh_run_purges_on_its_own(recordings: dict[str, Any]) -> None:
    from pasokh.config.services import BACKGROUND_SERVICES
    from pasokh.voice import retention
    from pasokh.voice.models import Call

    assert "pasokh.voice.retention.run" in BACKGROUND_SERVICES

    async def one_pass() -> None:
        task = asyncio.create_task(retention.run())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            gone = await asyncio.to_thread(_recording_gone, recordings["home_old"].pk)
            if gone:
                break
        task.cancel()

    asyncio.run(one_pass())
    assert Call.objects.get(pk=recordings["home_old"].pk).recording.name == ""
    assert Call.objects.get(pk=recordings["home_recent"].pk).recording.name != ""
    assert not (recordings["media"] / "voice" / "recordings" / "home-old.wav").exists()
