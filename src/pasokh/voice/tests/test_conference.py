"""A three-way call from the desk: the agent adds an external number (the trunk's far end, a
sipp UAS), all three hear each other through the bridge, the agent leaves and the customer and
the third party go on; the third party's hang-up ends the call. Media as in ``test_barge``:
each side a socket of the test sending its own tone; Goertzel says who hears whom."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from pasokh.voice.tests.peers import Sipp
from pasokh.voice.tests.scenarios import HEAD, INVITE_KEEPING_THE_DIALOG, TAIL, phone_hangs_up
from pasokh.voice.tests.test_barge import (
    HEARD,
    NOT_HEARD,
    Media,
    _reply,
    _sdp,
    agent_desk_phone,
    answered_through_the_menu,
    tone_customer,
)
from pasokh.voice.tests.test_call_flow import _register_agent, _wait_for

pytestmark = [
    pytest.mark.voice,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket.socket fd=\d+, family=10"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

TONES = {"customer": 500.0, "agent": 800.0, "third": 1300.0}
TYPED = "۰۹۱۲ ۱۱۱ ۰۰۷۷"  # Persian digits, local form


def third_party(media_port: int, hang_up_after_ms: int) -> str:
    """The number called (the trunk's far end): answers at once with media on the test's
    socket, and hangs up ``hang_up_after_ms`` later."""
    body = INVITE_KEEPING_THE_DIALOG
    body += _reply("180 Ringing", "far") + _reply("200 OK", "far", _sdp(media_port))
    body += '  <recv request="ACK"/>\n'
    body += f'  <pause milliseconds="{hang_up_after_ms}"/>\n'
    body += phone_hangs_up("far")
    return HEAD.format(name="far") + body + TAIL


def test_the_agent_adds_a_number_then_leaves_the_other_two_talking(voice_lab: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.audit.models import AuditEntry
    from pasokh.router.runtime_models import AgentPresence
    from pasokh.voice import barge as barging
    from pasokh.voice.models import Call, SipTrunk

    lab = voice_lab
    tenant = lab.tenants.home
    agent = lab.tenants.user("agent5")
    media = Media(TONES)
    media.start()
    far_port, agent_port = lab.ports.take(), lab.ports.take()
    SipTrunk.objects.filter(tenant=tenant).update(host="127.0.0.1", port=far_port)
    far = Sipp(
        lab.workdir, "far-end", third_party(media.port("third"), 9000), far_port, lab.ports.take()
    ).start()
    phone = agent_desk_phone(lab, media, agent_port, reinvites=1)
    caller = tone_customer(lab, media)
    figures: dict[str, object] = {}
    try:
        _register_agent(lab, "205", agent_port)
        call = answered_through_the_menu(caller, media, agent)
        iid = int(str(call.interaction_id))
        time.sleep(1.0)
        add = reverse("voice:conference", args=[iid, "add"])
        colleague = Client()
        colleague.force_login(lab.tenants.user("agent6"))
        refused = colleague.post(add, {"number": TYPED})
        assert refused.status_code == 409  # not their call
        assert refused.json()["error"] == "این تماس مال شما نیست."
        desk = Client()
        desk.force_login(agent)
        assert desk.post(add, {"number": "not a number"}).status_code == 409
        assert desk.post(reverse("voice:conference", args=[iid, "leave"])).status_code == 409
        added = desk.post(add, {"number": TYPED})
        assert added.json() == {"ok": True, "conference": "ringing", "number": "+989121110077"}
        session = lab.service.controller.by_interaction[str(iid)]
        joined = _wait_for(
            lambda: (b := barging.current(session)) is not None and b.joined and b, 15, "3-way"
        )
        state = desk.get(reverse("voice:conference_state", args=[iid])).json()
        assert state == {"conference": "on"}
        time.sleep(1.0)
        start = time.monotonic()
        time.sleep(1.5)
        now = time.monotonic()
        figures["three-way"] = heard = {name: media.tones(name, start, now) for name in TONES}
        for name, tones in heard.items():
            for source, amplitude in tones.items():
                if source == name:
                    assert amplitude < NOT_HEARD, (name, tones)
                else:
                    assert amplitude > HEARD, (name, source, tones)

        # The agent leaves: their phone gets BYE, they go to wrap-up, the other two go on.
        assert desk.post(reverse("voice:conference", args=[iid, "leave"])).json() == {
            "ok": True,
            "conference": "",
        }
        assert phone.wait(15) == 0, phone.explain()
        _wait_for(
            lambda: AgentPresence.objects.filter(
                tenant=tenant, agent_id=str(agent.pk), state="wrap_up"
            ).exists(),
            10,
            "the agent's wrap-up",
        )
        time.sleep(0.5)
        start = time.monotonic()
        time.sleep(1.5)
        now = time.monotonic()
        figures["after the agent left"] = left = {
            name: media.tones(name, start, now) for name in ("customer", "third")
        }
        assert left["customer"]["third"] > HEARD
        assert left["third"]["customer"] > HEARD
        assert left["customer"]["agent"] < NOT_HEARD  # the agent's socket still sends
        assert left["third"]["agent"] < NOT_HEARD
        assert Call.objects.get(pk=call.pk).ended_at is None
        # The third party hangs up: the call ends, the customer gets BYE.
        assert far.wait(20) == 0, far.explain()
        assert caller.wait(20) == 0, caller.explain()
        ended = _wait_for(
            lambda: Call.objects.filter(pk=call.pk, ended_at__isnull=False).first(), 10, "the end"
        )
    finally:
        media.stop()
        far.stop()
        phone.stop()
        caller.stop()
    stats = joined.stats
    stored = ended.media_stats.get(f"conference-{agent.pk}")
    print("conference:", figures, "bridge", stats, "stored", stored)
    assert stats["third"]["received"] > 100
    assert stats["customer"]["sent"] > 100
    assert ended.end_reason == Call.EndReason.AGENT_HANGUP
    assert AuditEntry.objects.filter(action="voice.conference", actor=agent).count() == 1


@pytest.mark.django_db
def test_the_desk_and_the_live_view_carry_their_join_buttons(tenants: Any, client: Any) -> None:
    from django.urls import reverse

    client.force_login(tenants.user("agent5"))
    page = client.get(reverse("desk:desk")).content.decode()
    assert "voice/conference.js" in page
    assert 'id="conference-strings"' in page
    strings = page.split('id="conference-strings" type="application/json">')[1]
    assert json.loads(strings.split("</script>")[0])["title"] == "افزودن کسی به تماس"
    client.force_login(tenants.user("supervisor"))
    page = client.get(reverse("desk:desk")).content.decode()
    assert "voice/conference.js" not in page  # agents only


@pytest.mark.django_db
def test_join_and_conference_requests_refuse_calls_not_on_the_line(
    tenants: Any, client: Any
) -> None:
    from django.urls import reverse

    from pasokh.interactions.models import Interaction

    call = Interaction.objects.filter(tenant=tenants.home, channel="voice").first()
    assert call is not None
    client.force_login(tenants.user("agent5"))
    assert client.post(reverse("voice:join", args=[call.pk, "barge"])).status_code == 403
    add = reverse("voice:conference", args=[call.pk, "add"])
    assert client.get(add).status_code == 405
    refused = client.post(add, {"number": "09121110077"})
    assert refused.status_code == 409
    assert refused.json()["error"]
    assert client.post(reverse("voice:conference", args=[call.pk, "dance"])).status_code in (
        404,
        409,
    )
    client.force_login(tenants.user("supervisor"))
    for verb in ("barge", "whisper", "stop"):
        response = client.post(reverse("voice:join", args=[call.pk, verb]))
        assert response.status_code == 409, verb
        assert response.json()["error"] == "این تماس دیگر برقرار نیست."
    assert client.post(reverse("voice:join", args=[call.pk, "dance"])).status_code == 404
    other = Interaction.objects.filter(tenant=tenants.other).first()
    assert other is not None
    response = client.post(reverse("voice:join", args=[other.pk, "barge"]))
    assert response.json()["error"] == "چنین تماسی وجود ندارد."
    client.logout()
    assert client.post(reverse("voice:join", args=[call.pk, "barge"])).status_code == 302


def test_the_agent_ends_the_three_way_call_and_talks_on_with_the_customer(
    voice_lab: Any,
) -> None:
    from django.test import Client
    from django.urls import reverse

    from pasokh.desk import commands as desk_commands
    from pasokh.voice import barge as barging
    from pasokh.voice.models import Call, SipTrunk
    from pasokh.voice.tests.test_barge import supervisor_phone

    lab = voice_lab
    tenant = lab.tenants.home
    agent = lab.tenants.user("agent5")
    media = Media(TONES)
    media.start()
    far_port, agent_port = lab.ports.take(), lab.ports.take()
    SipTrunk.objects.filter(tenant=tenant).update(host="127.0.0.1", port=far_port)
    # The far end answers and waits for the service's BYE (as the supervisor's phone does).
    far = Sipp(
        lab.workdir, "far-end", supervisor_phone(media.port("third")), far_port, lab.ports.take()
    ).start()
    phone = agent_desk_phone(lab, media, agent_port, reinvites=2)
    caller = tone_customer(lab, media)
    try:
        _register_agent(lab, "205", agent_port)
        call = answered_through_the_menu(caller, media, agent)
        iid = int(str(call.interaction_id))
        time.sleep(1.0)
        desk = Client()
        desk.force_login(agent)
        added = desk.post(reverse("voice:conference", args=[iid, "add"]), {"number": TYPED})
        assert added.status_code == 200, added.content
        session = lab.service.controller.by_interaction[str(iid)]
        joined = _wait_for(
            lambda: (b := barging.current(session)) is not None and b.joined and b, 15, "3-way"
        )
        bridge_ports = set(joined.bridge.ports.values())
        time.sleep(1.0)
        start = time.monotonic()
        time.sleep(1.0)
        now = time.monotonic()
        assert media.tones("customer", start, now)["third"] > HEARD
        assert media.tones("third", start, now)["agent"] > HEARD

        assert desk.post(reverse("voice:conference", args=[iid, "end"])).json() == {
            "ok": True,
            "conference": "",
        }
        assert far.wait(15) == 0, far.explain()  # the number got BYE
        _wait_for(lambda: barging.current(session) is None, 10, "the bridge to go")
        assert desk.get(reverse("voice:conference_state", args=[iid])).json() == {"conference": ""}
        time.sleep(1.0)
        start = time.monotonic()
        time.sleep(1.5)
        now = time.monotonic()
        after = {name: media.tones(name, start, now) for name in ("customer", "agent")}
        print("three-way ended, two-way again:", after)
        assert not media.sources("agent", start, now) & bridge_ports  # rtpengine's port again
        assert after["customer"]["agent"] > HEARD
        assert after["agent"]["customer"] > HEARD
        assert after["customer"]["third"] < NOT_HEARD
        assert Call.objects.get(pk=call.pk).ended_at is None
        desk_commands.end(agent, {"interaction_id": str(iid)})
        assert caller.wait(20) == 0, caller.explain()
        assert phone.wait(20) == 0, phone.explain()  # two re-INVITEs, then BYE
    finally:
        media.stop()
        far.stop()
        phone.stop()
        caller.stop()
