"""From the desk during a call: hold (the customer hears music), resume, and hang up (both
phones get BYE, the agent goes to wrap-up)."""

from __future__ import annotations

from typing import Any

import pytest

from pasokh.voice.tests.phones import agent_phone, customer, packets
from pasokh.voice.tests.test_call_flow import CALLER, _wait_for
from pasokh.voice.tests.test_transfer import SPOKEN_PACKETS

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


def _ask(client: Any, interaction_id: str, verb: str) -> Any:
    from django.urls import reverse

    url = reverse("voice:call_control", args=[int(interaction_id), verb])
    return client.post(url)


def test_the_agent_holds_resumes_and_hangs_up_the_call_from_the_desk(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.desk import commands as desk_commands
    from pasokh.interactions.models import Interaction
    from pasokh.router.actions import do_set_agent_state
    from pasokh.voice.controls import CallControlError, do_resume_call
    from pasokh.voice.demo import demo_number
    from pasokh.voice.models import Call

    lab = voice_lab
    agent = lab.tenants.user("agent5")
    desk = Client()
    desk.force_login(agent)
    colleague = Client()
    colleague.force_login(lab.tenants.user("agent6"))
    phone = agent_phone(lab, "205", ring_ms=500)
    do_set_agent_state(agent, "ready")
    caller = customer(lab, demo_number(lab.tenants.home), CALLER, [("pause", 2500), ("digit", "2")])
    try:
        call = _wait_for(
            lambda: Call.objects.filter(state=Call.State.CONNECTED).first(), 20, "the answer"
        )
        iid = str(call.interaction_id)
        # The agent's phone says its piece; after it, the customer has nothing to echo back.
        _wait_for(
            lambda: packets(lab, call.media_id)["agent"] >= SPOKEN_PACKETS - 5,
            20,
            "the agent to finish speaking",
        )
        assert _ask(colleague, iid, "hold").status_code == 409  # not their call
        assert _ask(desk, iid, "hold").json() == {"ok": True, "on_hold": True}  # the button
        _wait_for(
            lambda: Call.objects.filter(pk=call.pk, state=Call.State.ON_HOLD).exists(), 10, "hold"
        )
        held = packets(lab, call.media_id)["customer"]
        # Only the music can make the customer's echo grow now.
        _wait_for(lambda: packets(lab, call.media_id)["customer"] > held + 100, 15, "hold music")
        state = desk.get(reverse("voice:call_state", args=[int(iid)])).json()
        assert state == {"on_hold": True, "muted": False}
        assert _ask(desk, iid, "resume").json() == {"ok": True, "on_hold": False}
        _wait_for(
            lambda: Call.objects.filter(pk=call.pk, state=Call.State.CONNECTED).exists(),
            10,
            "resume",
        )
        desk_commands.end(agent, {"interaction_id": iid})  # the desk's hang-up
        assert caller.wait(20) == 0, caller.explain()  # the customer got BYE
        assert phone.sipp.wait(20) == 0, phone.sipp.explain()  # and so did the agent's phone
    finally:
        caller.stop()
        phone.sipp.stop()
    call = _wait_for(
        lambda: Call.objects.filter(pk=call.pk, state=Call.State.ENDED).first(), 15, "the end"
    )
    assert call.end_reason == Call.EndReason.ROUTING_ENDED
    stats = call.media_stats
    print("hold, packets per side:", stats)
    assert stats["at_resume"]["customer"] - stats["at_hold"]["customer"] > 100, stats
    interaction = Interaction.objects.get(pk=call.interaction_id)
    assert interaction.status in (Interaction.Status.WRAP_UP, Interaction.Status.ENDED)
    assert interaction.agent_id == agent.pk
    with pytest.raises(CallControlError):
        do_resume_call(agent, iid)  # the call is over
    assert lab.service.controller.sessions == {}
