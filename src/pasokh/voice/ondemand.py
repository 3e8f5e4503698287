"""Call recording by the tenant's policy (``VoicePolicy.recording``): every call from the
agent's answer, no call, or on demand — the agent starts and stops it from the desk.

rtpengine 10.5 knows ``start recording`` and ``stop recording`` (``pause recording`` is an
"Unrecognized command" there); with ``--recording-method=pcap`` each span between a start and
a stop is a pcap file of its own, and ``recording.pcaps_to_wav`` puts the spans one after the
other into the call's WAV. The desk asks through ``do_start_recording`` / ``do_stop_recording``
(the agent's own live call, like hold); the controller thread does the ng commands
(``recording_request``). ``recording_state`` is what the desk's REC indicator shows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pasokh.tenancy.models import User
from pasokh.voice import actions, controls, recording
from pasokh.voice.media import log
from pasokh.voice.models import VoicePolicy
from pasokh.voice.session import CallSession

if TYPE_CHECKING:
    from pasokh.voice.control import Controller

RecordingMode = str  # one of VoicePolicy.Recording's values


def policy_mode(tenant_id: int | None) -> RecordingMode:
    """The tenant's recording policy; a tenant without a policy records every call (the
    model's default)."""
    policy = VoicePolicy.objects.filter(tenant_id=tenant_id).first()
    return policy.recording if policy is not None else VoicePolicy.Recording.ALL


# ── the controller thread ──────────────────────────────────────────────────────────────────


def record_from_answer(controller: Controller, session: CallSession) -> None:
    """At the agent's answer (and a callback customer's): policy "all" starts the recording.
    After a blind transfer the call is answered again and goes on in the same recording."""
    if session.recording_live or controller.recordings is None:
        return
    if policy_mode(session.tenant_id) == VoicePolicy.Recording.ALL:
        _start(controller, session)


def recording_request(controller: Controller, interaction_id: str, verb: str) -> None:
    """``start`` or ``stop``, asked from the desk (checked there: the agent's own call, the
    tenant's policy on demand)."""
    session = controller.by_interaction.get(interaction_id)
    if session is None or session.stage != "connected" or controller.recordings is None:
        return
    if verb == "start" and not session.recording_live:
        _start(controller, session)
    elif verb == "stop" and session.recording_live:
        controller.ng.command("stop recording", call_id=session.media_id)
        _close_span(session)
        log.info("voice: %s recording stopped", session.media_id)


def _start(controller: Controller, session: CallSession) -> None:
    controller.ng.command("start recording", call_id=session.media_id)
    session.recording = True
    session.recording_live = True
    session.recording_since = time.monotonic()
    log.info("voice: %s recording", session.media_id)


def _close_span(session: CallSession) -> None:
    session.recording_live = False
    session.recorded_ms += round((time.monotonic() - session.recording_since) * 1000)
    session.recorded_spans += 1


def store_recording(controller: Controller, session: CallSession) -> None:
    """After ``delete``: every span's pcap into the call's one WAV, then the pcaps go."""
    assert controller.recordings is not None
    assert session.call_id is not None
    if session.recording_live:
        _close_span(session)  # the last span ends with the call
    pcaps = recording.find_pcaps(controller.recordings, session.media_id)
    if not pcaps:
        log.warning("voice: no recording found for %s", session.media_id)
        return
    name = f"voice/recordings/{session.media_id}.wav"
    seconds = recording.pcaps_to_wav(pcaps, Path(settings.MEDIA_ROOT) / name)
    for pcap in pcaps:
        pcap.unlink(missing_ok=True)
    if session.recorded_spans:  # a voicemail (menu.py) is recorded without spans
        session.media_stats["recording"] = {
            "spans": session.recorded_spans,
            "ms": session.recorded_ms,
        }
    actions.do_update_call(
        session.call_id,
        recording=name,
        recording_seconds=seconds,
        media_stats=session.media_stats,
    )


# ── the desk (web threads) ─────────────────────────────────────────────────────────────────


def recording_state(user: User, interaction_id: object) -> dict[str, object]:
    """The REC indicator and the record button of the agent's own live call: ``mode`` (the
    tenant's policy) and whether rtpengine records it now."""
    controller, iid = controls.live_call(user, interaction_id)
    session = controller.by_interaction.get(iid)
    return {
        "mode": policy_mode(user.tenant_id),
        "recording": bool(session is not None and session.recording_live),
    }


def _on_demand_call(user: User, interaction_id: object) -> tuple[Controller, str]:
    controller, iid = controls.live_call(user, interaction_id)
    if controller.recordings is None:
        raise controls.CallControlError(_("Recordings are not set up on this server."))
    mode = policy_mode(user.tenant_id)
    if mode == VoicePolicy.Recording.NONE:
        raise controls.CallControlError(_("Calls are not recorded in this business."))
    if mode == VoicePolicy.Recording.ALL:
        raise controls.CallControlError(
            _("Every call is recorded in this business; the recording cannot be stopped.")
        )
    return controller, iid


def do_start_recording(user: User, interaction_id: object) -> None:
    controller, iid = _on_demand_call(user, interaction_id)
    controller.later(recording_request, controller, iid, "start")


def do_stop_recording(user: User, interaction_id: object) -> None:
    controller, iid = _on_demand_call(user, interaction_id)
    controller.later(recording_request, controller, iid, "stop")
