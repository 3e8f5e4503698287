"""A three-way call from the desk: the agent adds an external number (through the tenant's
trunk, as click-to-call reaches customers) and the customer, the agent and the third party
all hear each other through a ``bridge.Bridge`` (the media steps are ``barge.py``'s: the
third party is dialled with the bridge's ``third`` port, then the agent's phone is
re-INVITEd to the bridge and rtpengine's agent side re-pointed at it).

The agent may then

* **end** the conference: the third party gets BYE and the agent's phone goes back to
  rtpengine (a two-way call again), or
* **leave** it: the customer and the third party go on talking through the bridge. The agent's
  phone gets BYE and routing ends the interaction (``EndInteraction``: the agent goes to
  wrap-up); the call is no longer in routing, and ends when the customer or the third party
  hangs up.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from sippy.CCEvents import CCEventDisconnect, CCEventTry
from sippy.MsgBody import MsgBody
from sippy.SipCallId import SipCallId
from sippy.SipHeader import SipHeader
from sippy.UA import UA

from pasokh.persian.phone import try_normalize_phone
from pasokh.router.service import RoutingError
from pasokh.routing import commands as c
from pasokh.tenancy.models import User
from pasokh.voice import actions, barge, controls, supervision
from pasokh.voice.bridge import Bridge, everyone
from pasokh.voice.call_audit import record_call_request
from pasokh.voice.controls import CallControlError
from pasokh.voice.media import log
from pasokh.voice.models import CallLeg, SipTrunk, VoicePolicy
from pasokh.voice.session import RING_CUSTOMER_S, CallSession

if TYPE_CHECKING:
    from pasokh.voice.control import Controller


def _dial(conference: barge.Barge, trunk: tuple[str, int], number: str, caller_id: str) -> None:
    """SIP thread: the third party's INVITE through the trunk, offering the bridge's port."""
    if conference.closed or conference.session.customer_gone:
        return
    ua = UA(conference.controller.sip_config, conference._on_third_event, nh_address=trunk)
    ua.expire_time = RING_CUSTOMER_S
    conference.ua = ua
    bridge = conference.bridge
    offer = MsgBody(barge.bridge_sdp(bridge.host, bridge.ports["third"]))
    invite = CCEventTry((SipCallId(), caller_id, number, offer, None, caller_id))
    invite.extra_headers = (
        SipHeader(name="P-Asserted-Identity", bodys=f"<sip:{caller_id}@{trunk[0]}>"),
    )
    ua.recvEvent(invite)


def start(controller: Controller, interaction_id: str, agent_id: int, number: str) -> None:
    session = controller.by_interaction.get(interaction_id)
    if session is None or session.stage != "connected" or barge.current(session) is not None:
        return
    trunk = SipTrunk.objects.filter(tenant_id=session.tenant_id, is_active=True).first()
    policy = VoicePolicy.objects.filter(tenant_id=session.tenant_id).first()
    agent_side = supervision.media_address(session.agent_sdp)
    if trunk is None or policy is None or not policy.caller_id or agent_side is None:
        return
    bridge = Bridge(barge.CONFERENCE, supervision.media_host(controller))
    bridge.route(everyone(barge.CONFERENCE))
    bridge.send_to("customer", agent_side, barge.codec_of(session.agent_sdp_answer))
    conference = barge.Barge(controller, session, agent_id, "conference", bridge, third="third")
    with barge._lock:
        barge._barges[session.media_id] = conference
    bridge.start()
    log.info("voice: %s adds %s to a conference", session.media_id, number)
    controller.sip(_dial, conference, (trunk.host, trunk.port), number, policy.caller_id)


def agent_leaves(controller: Controller, interaction_id: str, agent_id: int) -> None:
    """The agent leaves a conference that is on: the other two go on without them."""
    session = controller.by_interaction.get(interaction_id)
    conference = barge.current(session) if session is not None else None
    if conference is None or session is None or not conference.joined:
        return
    if conference.mode != "conference" or conference.supervisor_id != agent_id:
        return
    conference.agent_left = True
    conference.bridge.route({"customer": {"third"}, "third": {"customer"}})
    controller.by_interaction.pop(interaction_id, None)  # routing's end must not hang up
    session.interaction_id = None
    controller.sip(_release_agent, session)
    if session.agent_leg_id is not None:
        actions.do_update_leg(
            session.agent_leg_id, state=CallLeg.State.ENDED, ended_at=timezone.now()
        )
    with contextlib.suppress(RoutingError):
        controller._submit(session, c.EndInteraction(interaction_id))  # to wrap-up
    log.info("voice: the agent left the conference of %s", session.media_id)


def _release_agent(session: CallSession) -> None:
    """SIP thread: the agent's phone gets BYE without that ending the call."""
    agent, session.agent = session.agent, None
    session.agent_answered = False
    if agent is not None:
        agent.recvEvent(CCEventDisconnect())


def end(controller: Controller, interaction_id: str, agent_id: int) -> None:
    session = controller.by_interaction.get(interaction_id)
    conference = barge.current(session) if session is not None else None
    if conference is not None and conference.mode == "conference":
        barge.leave(conference)


# ── the desk (web threads) ─────────────────────────────────────────────────────────────────


def _conference_of(controller: Controller, iid: str) -> barge.Barge | None:
    session = controller.by_interaction.get(iid)
    return barge.current(session) if session is not None else None


def do_add_party(user: User, interaction_id: object, raw_number: str) -> str:
    """The agent's own live call: dial ``raw_number`` into a three-way call. Returns the
    number as dialled (E.164)."""
    controller, iid = controls.live_call(user, interaction_id)
    number = try_normalize_phone(raw_number or "")
    if number is None:
        raise CallControlError(_("This is not a phone number that can be called."))
    session = controller.by_interaction[iid]
    if _conference_of(controller, iid) is not None:
        raise CallControlError(_("Someone else is joined to this call already."))
    if session.on_hold:
        raise CallControlError(_("Resume the call before you add someone to it."))
    if session.agent_webrtc:
        raise CallControlError(_("Three-way calls need a desk phone; the softphone cannot."))
    controls.require_outbound_setup(user)
    controller.later(start, controller, iid, user.pk, number)
    record_call_request(user, iid, "voice.conference", number=number)
    return number


def _own_conference(user: User, interaction_id: object) -> tuple[Controller, str]:
    controller, iid = controls.live_call(user, interaction_id)
    conference = _conference_of(controller, iid)
    if conference is None or conference.mode != "conference":
        raise CallControlError(_("There is no three-way call on this line."))
    return controller, iid


def do_leave(user: User, interaction_id: object) -> None:
    controller, iid = _own_conference(user, interaction_id)
    conference = _conference_of(controller, iid)
    if conference is None or not conference.joined:
        raise CallControlError(_("The third party has not answered yet."))
    controller.later(agent_leaves, controller, iid, user.pk)


def do_end(user: User, interaction_id: object) -> None:
    controller, iid = _own_conference(user, interaction_id)
    controller.later(end, controller, iid, user.pk)


def state(user: User, interaction_id: object) -> dict[str, Any]:
    """For the desk's button: ``ringing`` (the third party is rung), ``on`` (three-way), or
    ``""``."""
    controller, iid = controls.live_call(user, interaction_id)
    conference = _conference_of(controller, iid)
    if conference is None or conference.mode != "conference" or conference.closed:
        return {"conference": ""}
    return {"conference": "on" if conference.joined else "ringing"}
