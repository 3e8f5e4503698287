"""Recording by the tenant's policy: "none" refuses the desk's record button; "on demand" lets
the agent record two spans of a real call (sipp customer with RTP echo, sipp agent phone
speaking), and the WAV holds those spans and nothing else; the recording is then played from
the customer's timeline by those allowed to hear it."""

from __future__ import annotations

import array
import time
import wave
from typing import Any

import pytest

from pasokh.voice.tests.phones import agent_phone, customer, packets
from pasokh.voice.tests.test_call_flow import CALLER, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


def _recording(client: Any, interaction_id: str, verb: str | None = None) -> Any:
    from django.urls import reverse

    if verb is None:
        return client.get(reverse("voice:recording_state", args=[int(interaction_id)]))
    return client.post(reverse("voice:recording_control", args=[int(interaction_id), verb]))


def _span(desk: Any, iid: str, seconds: float) -> float:
    """Record for ``seconds`` from the desk; the span as the test saw it."""
    assert _recording(desk, iid, "start").json() == {"ok": True, "recording": True}
    began = time.monotonic()
    _wait_for(lambda: _recording(desk, iid).json()["recording"], 5, "REC on")
    time.sleep(max(0.0, seconds - (time.monotonic() - began)))
    assert _recording(desk, iid, "stop").json() == {"ok": True, "recording": False}
    ended = time.monotonic()
    _wait_for(lambda: not _recording(desk, iid).json()["recording"], 5, "REC off")
    return ended - began


def test_an_on_demand_recording_holds_the_spans_the_agent_recorded(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.audit.models import AuditEntry
    from pasokh.contacts.actions import do_find_or_create_contact
    from pasokh.desk import commands as desk_commands
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.actions import do_configure_voice_policy
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call, VoicePolicy

    lab = voice_lab
    tenant = lab.tenants.home
    agent = lab.tenants.user("agent5")
    contact = do_find_or_create_contact(tenant=tenant, kind="phone", value=CALLER)
    do_configure_voice_policy(tenant=tenant, recording=VoicePolicy.Recording.NONE)
    desk = Client()
    desk.force_login(agent)
    phone = agent_phone(lab, "205", ring_ms=500)
    do_set_agent_state(agent, "ready")
    caller = customer(lab, demo_number(tenant), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "the answer"
        )
        iid = str(call.interaction_id)
        assert _recording(desk, iid).json() == {"mode": "none", "recording": False}
        refused = _recording(desk, iid, "start")
        assert refused.status_code == 409
        assert refused.json()["error"] == "تماس‌های این کسب‌وکار ضبط نمی‌شوند."  # translated
        do_configure_voice_policy(tenant=tenant, recording=VoicePolicy.Recording.ON_DEMAND)
        assert _recording(desk, iid).json() == {"mode": "on_demand", "recording": False}
        _wait_for(lambda: packets(lab, call.media_id)["agent"] > 40, 20, "the agent's voice")
        first = _span(desk, iid, 2.0)
        time.sleep(1.5)  # talking, not recorded
        second = _span(desk, iid, 1.5)
        time.sleep(1.0)
        desk_commands.end(agent, {"interaction_id": iid})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.sipp.wait(20) == 0, phone.sipp.explain()
    finally:
        caller.stop()
        phone.sipp.stop()
    call = _wait_for(
        lambda: (
            Call.objects.filter(pk=call.pk, state=Call.State.ENDED).exclude(recording="").first()
        ),
        15,
        "the stored recording",
    )
    connected = (call.ended_at - call.answered_at).total_seconds()
    spans = call.media_stats["recording"]
    print(
        f"on-demand recording: spans seen by the test {first:.2f} s + {second:.2f} s;"
        f" controller {spans}; WAV {call.recording_seconds:.3f} s; connected {connected:.2f} s"
    )
    assert spans["spans"] == 2
    assert abs(call.recording_seconds - spans["ms"] / 1000) < 0.15, spans
    assert abs(call.recording_seconds - (first + second)) < 0.4
    assert call.recording_seconds < connected - 2.0  # the unrecorded talk is not in it
    with wave.open(call.recording.path) as audio:
        assert audio.getframerate() == 8000
        samples = array.array("h", audio.readframes(audio.getnframes()))
    assert len(samples) == round(call.recording_seconds * 8000)
    loud = sum(1 for s in samples if abs(s) > 500)
    assert loud > len(samples) // 10, loud  # the agent's voice (and its echo), not silence
    assert list(Call.objects.exclude(pk=call.pk).exclude(recording="")) == []

    # Played from the customer's timeline: the agent who took it, the tenant's supervisor.
    timeline = desk.get(reverse("contacts:detail", args=[contact.pk]))
    url = reverse("voice:recording", args=[call.pk])
    assert url in timeline.content.decode()
    played = desk.get(url)
    assert played.status_code == 200
    assert played["Content-Type"] == "audio/wav"
    assert b"".join(played.streaming_content)[:4] == b"RIFF"
    played.close()
    supervisor = Client()
    supervisor.force_login(lab.tenants.user("supervisor"))
    heard = supervisor.get(url)
    assert heard.status_code == 200
    heard.close()
    colleague = Client()
    colleague.force_login(lab.tenants.user("agent6"))
    assert colleague.get(url).status_code == 404  # not their call
    assert url not in colleague.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    stranger = Client()
    stranger.force_login(lab.tenants.user("b_supervisor"))
    assert stranger.get(url).status_code == 404  # another tenant's
    assert (
        AuditEntry.objects.filter(action="voice.recording_played", object_id=str(call.pk)).count()
        == 2
    )
