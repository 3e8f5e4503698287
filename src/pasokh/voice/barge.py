"""A supervisor joins a live call: barge (the customer and the agent both hear the supervisor)
or whisper (the agent alone does). Media goes through a ``bridge.Bridge`` in the call's path.

1. The supervisor's phone rings with the bridge's ``supervisor`` port (``sendrecv``).
2. When it answers, the agent's phone gets a re-INVITE (sippy ``CCEventUpdate``) to the
   bridge's ``agent`` port; the bridge sends what the customer should hear to rtpengine's
   agent-side port, the one the phone used.
3. When the phone accepts, rtpengine's agent side is answered again with the bridge's
   ``customer`` port (as a warm transfer re-points it): the customer's audio now reaches the
   bridge, with no re-INVITE to the customer; DTMF and the recording stay in rtpengine.

Leaving (the supervisor's hang-up, or Stop in the live view) undoes it: the agent's phone is
re-INVITEd back to rtpengine's port and rtpengine answered with the phone's SDP again. The
call's end simply hangs up the supervisor's phone. While a bridge is in the path the agent
dialog's sippy callback is this module's (``_on_agent_event``): the answer to a re-INVITE is
not the phone answering the call; everything else goes on to the session as before.
"""

from __future__ import annotations

import contextlib
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from sippy.CCEvents import (
    CCEventConnect,
    CCEventDisconnect,
    CCEventFail,
    CCEventTry,
    CCEventUpdate,
)
from sippy.MsgBody import MsgBody
from sippy.SipCallId import SipCallId
from sippy.UA import UA

from pasokh.tenancy.models import Role, User
from pasokh.voice import supervision
from pasokh.voice.bridge import PCMU, Bridge, everyone, whisper
from pasokh.voice.call_audit import record_call_request
from pasokh.voice.controls import CallControlError
from pasokh.voice.media import log
from pasokh.voice.models import Call, SipAccount
from pasokh.voice.ng import NgError
from pasokh.voice.session import AGENT_TAG, CUSTOMER_TAG, CallSession

if TYPE_CHECKING:
    from pasokh.voice.control import Controller

MODES = ("barge", "whisper")
PARTICIPANTS = ("customer", "agent", "supervisor")
CONFERENCE = ("customer", "agent", "third")  # conference.py: a third party through the trunk

# media id → the call's bridge; one at a time (the controller's workers add and remove).
_barges: dict[str, Barge] = {}
_lock = threading.Lock()


def bridge_sdp(host: str, port: int) -> str:
    """What a phone is offered to talk to the bridge: G.711 either way, events accepted (and
    dropped)."""
    return supervision._sdp_head(host) + (
        f"m=audio {port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n"
    )


def answer_like(host: str, port: int, phone_sdp: str) -> str:
    """rtpengine's agent side answered with the bridge's port and the codecs the agent's phone
    answered with, so rtpengine changes nothing but the address."""
    match = re.search(r"^m=audio \d+ (\S+) ([^\r\n]+)", phone_sdp, re.MULTILINE)
    formats = match.group(2).strip() if match else "0 8 101"
    keep = [
        line
        for line in phone_sdp.splitlines()
        if line.startswith(("a=rtpmap", "a=fmtp", "a=ptime"))
    ]
    body = f"m=audio {port} RTP/AVP {formats}\r\n" + "".join(f"{line}\r\n" for line in keep)
    return supervision._sdp_head(host) + body + "a=sendrecv\r\n"


def codec_of(sdp: str) -> int:
    """The first G.711 format of an SDP's audio section: what to send that side."""
    match = re.search(r"^m=audio \d+ \S+ ([^\r\n]+)", sdp, re.MULTILINE)
    for fmt in match.group(1).split() if match else ():
        if fmt in ("0", "8"):
            return int(fmt)
    return PCMU


@dataclass
class Barge:
    controller: Controller
    session: CallSession
    supervisor_id: int
    mode: str  # barge, whisper, conference
    bridge: Bridge
    third: str = "supervisor"  # the bridge's name of the third participant
    ua: Any = None  # the third participant's dialog (the supervisor's phone, or the trunk's)
    answered: bool = False  # the third participant answered
    agent_left: bool = False  # a conference the agent left: the other two go on (conference.py)
    joined: bool = False  # the bridge is in the media path
    leaving: bool = False  # the agent's phone is being re-INVITEd back to rtpengine
    closed: bool = False
    stats: dict[str, dict[str, int]] = field(default_factory=dict)

    # ── the supervisor's phone (SIP thread) ─────────────────────────────────────────────────

    def ring(self, address: tuple[str, int], username: str, transport: str) -> None:
        if self.closed:
            return
        self.ua = UA(
            self.controller.sip_config,
            self._on_third_event,
            nh_address=address,
            nh_transport=transport,
        )
        caller = self.session.caller or "barge"
        name = self.session.caller_name or caller
        offer = MsgBody(bridge_sdp(self.bridge.host, self.bridge.ports[self.third]))
        self.ua.recvEvent(CCEventTry((SipCallId(), caller, username, offer, None, name)))

    def _on_third_event(self, event: Any, ua: Any) -> None:
        if self.closed or ua is not self.ua:
            return
        if isinstance(event, CCEventConnect) and not self.answered:
            body = event.getData()[2] if event.getData() else None
            self.controller.later(third_answered, self, str(body or ""))
        elif isinstance(event, CCEventFail | CCEventDisconnect):
            self.ua = None
            self.controller.later(third_left, self)

    def hang_up_third(self) -> None:
        ua, self.ua = self.ua, None
        if ua is not None:
            ua.recvEvent(CCEventDisconnect())

    # ── the agent's phone (SIP thread) ──────────────────────────────────────────────────────

    def reinvite_agent(self, sdp: str) -> None:
        agent = self.session.agent
        if agent is None or self.session.customer_gone:
            self.controller.later(leave, self)
            return
        agent.event_cb = self._on_agent_event
        agent.recvEvent(CCEventUpdate(MsgBody(sdp)))

    def _on_agent_event(self, event: Any, ua: Any) -> None:
        if isinstance(event, CCEventConnect):
            body = event.getData()[2] if event.getData() else None
            self.controller.later(agent_reinvited, self, str(body or ""))
        elif isinstance(event, CCEventFail):
            log.warning("voice: the agent's phone refused the bridge: %s", event.getData())
            self.controller.later(agent_refused, self)
        else:
            self.session.on_agent_event(event, ua)

    def give_back_agent(self) -> None:
        """The agent's dialog goes back to the session's own callback."""
        agent = self.session.agent
        if agent is not None and agent.event_cb == self._on_agent_event:
            agent.event_cb = self.session.on_agent_event


# ── the controller's workers ───────────────────────────────────────────────────────────────


def current(session: CallSession) -> Barge | None:
    return _barges.get(session.media_id)


def start(controller: Controller, interaction_id: str, supervisor_id: int, mode: str) -> None:
    session = controller.by_interaction.get(interaction_id)
    binding = controller.registrar.binding_of(supervisor_id)
    if session is None or session.stage != "connected" or binding is None:
        return
    existing = current(session)
    if existing is not None:
        if existing.supervisor_id == supervisor_id and existing.mode in MODES:
            existing.mode = mode
            existing.bridge.route(_routes(mode))
            log.info("voice: %s is now a %s", session.media_id, mode)
        return
    supervision.stop_listening(controller, interaction_id, supervisor_id)  # barge instead
    agent_side = supervision.media_address(session.agent_sdp)
    if agent_side is None:
        return
    bridge = Bridge(PARTICIPANTS, supervision.media_host(controller))
    bridge.route(_routes(mode))
    bridge.send_to("customer", agent_side, codec_of(session.agent_sdp_answer))
    barge = Barge(controller, session, supervisor_id, mode, bridge)
    with _lock:
        _barges[session.media_id] = barge
    bridge.start()
    log.info("voice: user %s joins %s (%s)", supervisor_id, session.media_id, mode)
    controller.sip(barge.ring, binding.address, binding.username, binding.transport)


def _routes(mode: str) -> dict[str, set[str]]:
    if mode == "whisper":
        return whisper("customer", "agent", "supervisor")
    return everyone(PARTICIPANTS)


def third_answered(barge: Barge, sdp: str) -> None:
    target = supervision.media_address(sdp)
    if barge.closed or target is None:
        leave(barge)
        return
    barge.answered = True
    barge.bridge.send_to(barge.third, target, codec_of(sdp))
    bridge = barge.bridge
    barge.controller.sip(barge.reinvite_agent, bridge_sdp(bridge.host, bridge.ports["agent"]))


def agent_reinvited(barge: Barge, sdp: str) -> None:
    """The agent's phone answered a re-INVITE: to the bridge (joining) or back (leaving)."""
    session, controller = barge.session, barge.controller
    if barge.leaving:
        session.agent_sdp_answer = sdp or session.agent_sdp_answer
        with contextlib.suppress(NgError, OSError):
            controller._bridge(session, session.agent_sdp_answer)
        _close(barge)
        return
    target = supervision.media_address(sdp) or supervision.media_address(session.agent_sdp_answer)
    if barge.closed or target is None:
        leave(barge)
        return
    barge.bridge.send_to("agent", target, codec_of(sdp or session.agent_sdp_answer))
    port = barge.bridge.ports["customer"]
    try:
        controller.ng.command(
            "answer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            to_tag=AGENT_TAG,
            sdp=answer_like(barge.bridge.host, port, session.agent_sdp_answer),
            replace=["origin", "session-connection"],
        )
    except (NgError, OSError) as error:
        log.error("voice: rtpengine could not be pointed at the bridge: %s", error)
        leave(barge)
        return
    if sdp:
        session.agent_sdp_answer = sdp
    barge.joined = True
    log.info("voice: the bridge of %s is in the media path", session.media_id)


def third_left(barge: Barge) -> None:
    """The third participant hung up (or never answered). In a conference the agent has
    left, that ends the call; else the call goes back to the customer and the agent."""
    session = barge.session
    if barge.agent_left and not barge.closed and session.stage != "ended":
        barge.controller._finish(session, Call.EndReason.AGENT_HANGUP)
        barge.controller.sip(session.hang_up_customer)
        return
    leave(barge)


def agent_refused(barge: Barge) -> None:
    barge.joined = False  # the phone keeps talking to rtpengine as before
    barge.leaving = False
    leave(barge)


def leave(barge: Barge) -> None:
    """The supervisor leaves (hung up, Stop, a failure): the agent's phone back to rtpengine
    when the bridge is in the path, else the bridge simply goes."""
    if barge.closed:
        return
    barge.controller.sip(barge.hang_up_third)
    if barge.joined and not barge.leaving and not barge.session.customer_gone:
        barge.leaving = True
        barge.controller.sip(barge.reinvite_agent, barge.session.agent_sdp)
        return
    if not barge.leaving:
        _close(barge)


def _close(barge: Barge) -> None:
    if barge.closed:
        return
    barge.closed = True
    barge.controller.sip(barge.give_back_agent)
    barge.bridge.stop()
    session = barge.session
    with _lock:
        if _barges.get(session.media_id) is barge:
            del _barges[session.media_id]
    session.media_stats[f"{barge.mode}-{barge.supervisor_id}"] = {
        f"{name}_{key}": value
        for name, figures in barge.bridge.stats().items()
        for key, value in figures.items()
    }
    barge.stats = barge.bridge.stats()
    log.info("voice: the %s of %s is over", barge.mode, session.media_id)


def stop(controller: Controller, interaction_id: str, supervisor_id: int) -> None:
    session = controller.by_interaction.get(interaction_id)
    barge = current(session) if session is not None else None
    if barge is not None and barge.supervisor_id == supervisor_id:
        leave(barge)


def end(controller: Controller, session: CallSession) -> None:
    """The call ends: the supervisor's phone gets BYE, the bridge stops (the agent's phone
    gets its own BYE from the call)."""
    barge = current(session)
    if barge is not None:
        barge.leaving = False
        barge.controller.sip(barge.hang_up_third)
        _close(barge)


# ── the live view (web threads) ────────────────────────────────────────────────────────────


def _check(user: User, interaction_id: object) -> tuple[Controller, str]:
    if user.role not in supervision.SUPERVISING_ROLES:
        raise PermissionError(_("Only supervisors can join calls."))
    controller, iid = supervision._supervised_call(user, interaction_id)
    return controller, iid


def do_join(user: User, interaction_id: object, mode: str) -> None:
    """Barge into (or whisper on) a live call of the supervisor's tenant."""
    controller, iid = _check(user, interaction_id)
    session = controller.by_interaction[iid]
    existing = current(session)
    if existing is not None and (existing.supervisor_id != user.pk or existing.mode not in MODES):
        raise CallControlError(_("Someone else is joined to this call already."))
    if session.on_hold:
        raise CallControlError(_("The call is on hold: join it once the agent resumes."))
    if session.agent_webrtc or session.agent is None:
        raise CallControlError(_("Joining needs the agent on a desk phone."))
    if not SipAccount.objects.filter(user=user, tenant_id=user.tenant_id, is_active=True).exists():
        raise CallControlError(_("Joining a call needs a phone: ask an admin for a SIP account."))
    binding = controller.registrar.binding_of(user.pk)
    if binding is None:
        raise CallControlError(_("Your phone is not signed in: register your SIP phone first."))
    if binding.is_webrtc:
        raise CallControlError(
            _("Joining a call needs a desk phone; the browser softphone cannot.")
        )
    controller.later(start, controller, iid, user.pk, mode)
    record_call_request(user, iid, f"voice.{mode}", mode=mode)


def do_leave(user: User, interaction_id: object) -> None:
    controller, iid = _check(user, interaction_id)
    controller.later(stop, controller, iid, user.pk)


def states_for(user: User) -> dict[str, dict[str, object]]:
    """For the live view: the calls this supervisor is joining (ringing) or on, by
    interaction."""
    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        return {}
    with _lock:
        barges = list(_barges.values())
    return {
        str(barge.session.interaction_id): {
            "mode": barge.mode,
            "ringing": not barge.answered,
            "joined": barge.joined,
        }
        for barge in barges
        if barge.supervisor_id == user.pk and not barge.closed
    }
