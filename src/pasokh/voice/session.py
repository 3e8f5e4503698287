"""One call inside the voice service: the customer's dialog, the agent's dialog (and, during a
warm transfer, a second one ringing the consulted agent), and the state the call controller
needs between events.

Methods marked *SIP thread* run on sippy's reactor only (sippy is not thread-safe); everything
that touches the database or rtpengine runs on the controller thread (``control.py``) and comes
back here through ``ED2.callFromThread``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sippy.CCEvents import (
    CCEventConnect,
    CCEventDisconnect,
    CCEventFail,
    CCEventRing,
    CCEventTry,
    CCEventUpdate,
)
from sippy.MsgBody import MsgBody
from sippy.SipCallId import SipCallId
from sippy.SipHeader import SipHeader
from sippy.Time.Timeout import Timeout
from sippy.UA import UA

from pasokh.voice.workers import current_lane

if TYPE_CHECKING:
    from pasokh.voice.control import Controller

CUSTOMER_TAG = "customer"
AGENT_TAG = "agent"
RING_CUSTOMER_S = 45  # a customer dialled out rings this long before the call is given up


@dataclass
class CallSession:
    media_id: str
    controller: Controller
    sip_config: dict[str, Any]
    customer: Any = None  # sippy UA of the customer's dialog
    agent: Any = None  # sippy UA towards the ringing or connected agent's phone
    agent_user_id: int | None = None
    agent_leg_id: int | None = None
    agent_answered: bool = False
    consult: Any = None  # sippy UA ringing the agent of a warm transfer while the first talks
    consult_user_id: int | None = None
    consult_leg_id: int | None = None
    forward: Any = None  # sippy UA to an external number the call is being transferred to
    forward_leg_id: int | None = None
    forward_state: str = ""  # "", ringing, failed (forward.py)
    forward_code: int = 0  # the external side's final SIP status, when it refused
    forward_held: bool = False  # the transfer put the call on hold (and resumes it on failure)
    on_hold: bool = False  # the customer hears hold music; neither side hears the other
    muted: bool = False  # the customer does not hear the agent (mute.py)
    # Set by the controller thread:
    call_id: int | None = None
    tenant_id: int | None = None
    menu_id: int | None = None
    attempts: int = 0
    digits: str = ""  # the menu digits the caller pressed (the last 32), as on the call row
    interaction_id: str | None = None
    offer_id: int | None = None
    agent_sdp: str = ""  # rtpengine's SDP for the agent side
    agent_sdp_answer: str = ""  # the connected agent phone's own SDP
    customer_sdp: str = ""  # the customer's last offer (for a WebRTC agent side, webrtc.py)
    agent_webrtc: bool = False  # rtpengine's agent side speaks WebRTC (a browser softphone)
    agent_bridged: bool = False  # rtpengine has the softphone's answer already
    stage: str = "setup"  # setup, ivr, closed, queued, ringing, connected, ended
    caller: str = ""
    caller_name: str = ""
    customer_gone: bool = False
    timer: Any = None
    ended: bool = False
    recording: bool = False  # a recording exists: stored when the call ends
    recording_live: bool = False  # rtpengine records now (the desk's REC indicator)
    recording_since: float = 0.0  # monotonic time the current span began
    recorded_ms: int = 0  # length of the spans recorded and stopped so far
    recorded_spans: int = 0
    listeners: list[Any] = field(default_factory=list)  # supervisors listening in
    dial_to: tuple[str, int] | None = None  # a callback: the trunk to reach the customer
    dial_from: str = ""  # the caller ID of a callback: the number the customer called
    outbound: bool = False  # the agent's own click-to-call (dialer.py): never queued for others
    customer_call_id: str = ""
    media_stats: dict[str, dict[str, int]] = field(default_factory=dict)
    lane: int | None = field(default_factory=current_lane)  # its controller worker

    # ── customer dialog (SIP thread) ────────────────────────────────────────────────────────

    def accept_invite(self, request: Any, transaction: Any) -> Any:
        self.customer = UA(self.sip_config, self.on_customer_event)
        return self.customer.recvRequest(request, transaction)

    def on_customer_event(self, event: Any, ua: Any) -> None:
        if self.dial_to is not None and isinstance(event, CCEventConnect):
            body = event.getData()[2] if event.getData() else None
            self.controller.later(self.controller.customer_answered, self, str(body or ""))
        elif self.dial_to is not None and isinstance(event, CCEventRing):
            return
        elif isinstance(event, CCEventTry):
            _cid, cli, cld, body, _auth, _name = event.getData()
            offer = str(body) if body is not None else ""
            self.controller.later(self.controller.new_call, self, str(cld), str(cli), offer)
        elif isinstance(event, CCEventUpdate):
            body = event.getData()[0] if event.getData() else None
            self.controller.later(self.controller.customer_reinvite, self, str(body or ""))
        elif isinstance(event, CCEventDisconnect | CCEventFail):
            if self.dial_to is not None and isinstance(event, CCEventFail):
                code = int(event.getData()[0] or 0) if event.getData() else 0
                self.controller.later(
                    self.controller.customer_refused, self, code, self.customer_call_id
                )
            self.customer_gone = True
            self.cancel_timer()
            self.drop_agent()  # and a consulted agent's ringing phone
            self.controller.later(self.controller.customer_left, self)

    def dial_customer(self, trunk: tuple[str, int], number: str, caller_id: str, sdp: str) -> None:
        """A callback: the outbound dialog to the customer, once the agent has answered."""
        if self.customer_gone:
            return
        self.customer = UA(self.sip_config, self.on_customer_event, nh_address=trunk)
        self.customer.expire_time = RING_CUSTOMER_S  # then CANCEL, and a failure (408)
        sip_call_id = SipCallId()
        self.customer_call_id = str(sip_call_id)
        invite = CCEventTry((sip_call_id, caller_id, number, MsgBody(sdp), None, caller_id))
        # The caller ID in From and, for carriers that trust this service, asserted (RFC 3325).
        invite.extra_headers = (
            SipHeader(name="P-Asserted-Identity", bodys=f"<sip:{caller_id}@{trunk[0]}>"),
        )
        self.customer.recvEvent(invite)

    def answer_customer(self, sdp: str) -> None:
        if self.customer_gone:
            return
        self.customer.recvEvent(CCEventConnect((200, "OK", MsgBody(sdp))))

    def refuse_customer(self, code: int, reason: str) -> None:
        if not self.customer_gone:
            self.customer_gone = True
            self.customer.recvEvent(CCEventFail((code, reason)))

    def hang_up_customer(self) -> None:
        self.cancel_timer()
        if self.customer is None:
            return  # a call dialled out whose customer leg never started
        if not self.customer_gone:
            self.customer_gone = True
            self.customer.recvEvent(CCEventDisconnect())

    # ── timers (SIP thread) ─────────────────────────────────────────────────────────────────

    def arm_timer(self, seconds: float, kind: str) -> None:
        self.cancel_timer()
        if not self.customer_gone:
            self.timer = Timeout(self._fire, seconds, 1, kind)

    def cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _fire(self, kind: str) -> None:
        self.timer = None
        self.controller.later(self.controller.timer_fired, self, kind)

    # ── the agent's phone (SIP thread) ──────────────────────────────────────────────────────

    def ring_agent(
        self,
        address: tuple[str, int],
        username: str,
        caller: str,
        caller_name: str,
        transport: str = "udp",
    ) -> None:
        if self.customer_gone:
            return
        self.drop_agent()
        self.agent_answered = False
        self.agent = self._phone(address, transport)  # set first: its events may come at once
        sip_call_id = self._invite(self.agent, username, caller, caller_name)
        self.controller.later(self.controller.agent_leg_started, self, sip_call_id)

    def _phone(self, address: tuple[str, int], transport: str) -> Any:
        """A dialog to an agent's phone, its events to ``on_agent_event``."""
        return UA(self.sip_config, self.on_agent_event, nh_address=address, nh_transport=transport)

    def _invite(self, ua: Any, username: str, caller: str, caller_name: str) -> str:
        """Ring the phone with rtpengine's agent-side SDP; returns the SIP Call-ID."""
        sip_call_id = SipCallId()
        ua.recvEvent(
            CCEventTry((sip_call_id, caller, username, MsgBody(self.agent_sdp), None, caller_name))
        )
        return str(sip_call_id)

    def on_agent_event(self, event: Any, ua: Any) -> None:
        if ua is self.consult and ua is not None:
            self._on_consult_event(event)
            return
        if ua is self.forward and ua is not None:
            self._on_forward_event(event)
            return
        if ua is not self.agent:
            return  # an earlier agent's dialog, already let go
        if isinstance(event, CCEventRing):
            self.controller.later(self.controller.agent_ringing, self)
        elif isinstance(event, CCEventConnect):
            self.agent_answered = True
            body = event.getData()[2] if event.getData() else None
            if self.agent_webrtc and self.dial_to is None:
                self.controller.bridge_webrtc(self, str(body or ""))
            self.controller.later(self.controller.agent_answered, self, str(body or ""))
        elif isinstance(event, CCEventFail):
            code = event.getData()[0] if event.getData() else 0
            self.agent = None
            self.controller.later(self.controller.agent_failed, self, int(code or 0))
        elif isinstance(event, CCEventDisconnect):
            answered = self.agent_answered
            self.agent = None
            if answered:
                # Whose phone hung up is told along: by the time the controller reads it, a
                # warm transfer may have handed the call to another agent.
                self.controller.later(self.controller.agent_hung_up, self, self.agent_user_id)
            else:
                self.controller.later(self.controller.agent_failed, self, 487)

    def drop_agent(self) -> None:
        """Cancel a ringing agent leg or hang up a connected one (and a consulted agent's, and
        an external number being rung)."""
        self.drop_consult()
        self.drop_forward()
        agent, self.agent = self.agent, None
        if agent is not None:
            agent.recvEvent(CCEventDisconnect())

    # ── a warm transfer: the consulted agent's phone (SIP thread) ───────────────────────────

    def ring_consult(
        self,
        address: tuple[str, int],
        username: str,
        caller: str,
        caller_name: str,
        transport: str = "udp",
    ) -> None:
        """The second agent's phone rings with rtpengine's agent-side SDP, the same ports the
        first agent's phone uses: once it answers, rtpengine sends the customer there."""
        if self.customer_gone:
            return
        self.drop_consult()
        self.consult = self._phone(address, transport)
        sip_call_id = self._invite(self.consult, username, caller, caller_name)
        self.controller.later(self.controller.consult_leg_started, self, sip_call_id)

    def _on_consult_event(self, event: Any) -> None:
        if isinstance(event, CCEventRing):
            self.controller.later(self.controller.consult_ringing, self)
        elif isinstance(event, CCEventConnect):
            body = event.getData()[2] if event.getData() else None
            self.controller.later(self.controller.consult_answered, self, str(body or ""))
        elif isinstance(event, CCEventFail | CCEventDisconnect):
            code = event.getData()[0] if isinstance(event, CCEventFail) and event.getData() else 0
            self.consult = None
            self.controller.later(self.controller.consult_failed, self, int(code or 487))

    def hand_over(self, new_agent_user_id: int) -> None:
        """The consulted agent takes the call: their dialog becomes the agent's, and the first
        agent's phone gets BYE (without that counting as hanging up on the customer)."""
        first, self.agent, self.consult = self.agent, self.consult, None
        self.agent_answered = self.agent is not None
        if first is not None:
            first.recvEvent(CCEventDisconnect())
        if self.agent is None:
            # The new agent hung up between their 200 OK and this hand-over: routing already
            # gave them the call, so it ends as when an agent hangs up.
            self.controller.later(self.controller.agent_hung_up, self, new_agent_user_id)

    # ── a transfer to an external number (SIP thread) ───────────────────────────────────────

    def dial_forward(self, trunk: tuple[str, int], number: str, caller_id: str) -> None:
        """The external number is called through the trunk with rtpengine's agent-side SDP:
        once it answers, rtpengine sends the customer there, as for a consulted phone."""
        if self.customer_gone:
            return
        self.drop_forward()
        self.forward = UA(self.sip_config, self.on_agent_event, nh_address=trunk)
        self.forward.expire_time = RING_CUSTOMER_S
        sip_call_id = SipCallId()
        invite = CCEventTry(
            (sip_call_id, caller_id, number, MsgBody(self.agent_sdp), None, caller_id)
        )
        invite.extra_headers = (
            SipHeader(name="P-Asserted-Identity", bodys=f"<sip:{caller_id}@{trunk[0]}>"),
        )
        self.forward.recvEvent(invite)
        self.controller.later(self.controller.forward_leg_started, self, str(sip_call_id))

    def _on_forward_event(self, event: Any) -> None:
        if isinstance(event, CCEventConnect):
            body = event.getData()[2] if event.getData() else None
            self.controller.later(self.controller.forward_answered, self, str(body or ""))
        elif isinstance(event, CCEventFail | CCEventDisconnect):
            code = event.getData()[0] if isinstance(event, CCEventFail) and event.getData() else 0
            self.forward = None
            self.controller.later(self.controller.forward_failed, self, int(code or 487))

    def forward_over(self) -> None:
        """The external number answered: its dialog becomes the call's other side, and the
        agent's phone gets BYE (without that counting as hanging up on the customer)."""
        first, self.agent, self.forward = self.agent, self.forward, None
        self.agent_answered = self.agent is not None
        if first is not None:
            first.recvEvent(CCEventDisconnect())
        if self.agent is None:
            self.controller.later(self.controller.agent_hung_up, self, self.agent_user_id)

    def drop_forward(self) -> None:
        forward, self.forward = self.forward, None
        if forward is not None:
            forward.recvEvent(CCEventDisconnect())

    def drop_consult(self) -> None:
        consult, self.consult = self.consult, None
        if consult is not None:
            consult.recvEvent(CCEventDisconnect())

    def release_agent(self) -> None:
        """A blind transfer: the agent's phone gets BYE; the customer stays and waits."""
        agent, self.agent = self.agent, None
        self.agent_answered = False
        if agent is not None:
            agent.recvEvent(CCEventDisconnect())
