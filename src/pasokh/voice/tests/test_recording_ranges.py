"""A recording on the customer's timeline can be sought into: the player's range requests are
answered with 206 and exactly those bytes; a range past the end is 416; the listening is
audited once, not once per range."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(tenants: Any, tmp_path: Path, settings: Any) -> dict[str, Any]:
    from pasokh.voice.models import Call

    settings.MEDIA_ROOT = tmp_path
    audio = b"RIFF" + bytes(range(256)) * 40  # 10,244 bytes
    path = tmp_path / "voice" / "recordings" / "ranged.wav"
    path.parent.mkdir(parents=True)
    path.write_bytes(audio)
    call = Call.objects.create(
        tenant=tenants.home,
        media_id="ranged",
        caller="+989121110001",
        state=Call.State.ENDED,
        recording="voice/recordings/ranged.wav",
        recording_seconds=0.6,
    )
    client = Client()
    client.force_login(tenants.user("supervisor"))
    return {"audio": audio, "url": reverse("voice:recording", args=[call.pk]), "client": client}


def _body(response: Any) -> bytes:
    # Consuming the stream is enough: the test client closes the response at its end with
    # the request_finished signal held back. A second close() here would send that signal
    # and close the test's database connection (on PostgreSQL, inside its transaction).
    return b"".join(response.streaming_content)


def test_a_player_seeking_into_a_recording_gets_those_bytes(recording: dict[str, Any]) -> None:
    from pasokh.audit.models import AuditEntry

    client, url, audio = recording["client"], recording["url"], recording["audio"]
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert _body(whole) == audio

    middle = client.get(url, headers={"Range": "bytes=4000-4999"})
    assert middle.status_code == 206
    assert middle["Content-Range"] == f"bytes 4000-4999/{len(audio)}"
    assert middle["Content-Length"] == "1000"
    assert middle["Content-Type"] == "audio/wav"
    assert _body(middle) == audio[4000:5000]

    rest = client.get(url, headers={"Range": "bytes=10000-"})
    assert rest.status_code == 206
    assert _body(rest) == audio[10000:]

    past = client.get(url, headers={"Range": f"bytes={len(audio)}-"})
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{len(audio)}"

    # The plain request and the ones from the start are listenings; seeking is not.
    assert AuditEntry.objects.filter(action="voice.recording_played").count() == 1


def test_another_tenants_supervisor_cannot_ask_for_a_range(
    recording: dict[str, Any], tenants: Any
) -> None:
    stranger = Client()
    stranger.force_login(tenants.user("b_supervisor"))
    assert stranger.get(recording["url"], headers={"Range": "bytes=0-9"}).status_code == 404
