"""Supervisor listen-in: a supervisor's SIP phone rings and hears the customer and the agent of
a live call; neither of them hears the supervisor.

Media: rtpengine forks both sides of the call (``subscribe request`` with ``from-tags``
customer and agent, a ``to-tag`` per supervisor) to a ``mixer.ListenMixer``, which sends one
mixed stream to the supervisor's phone. The phone is rung with an SDP offering only the
mixer's output (``sendonly``); it never gets a path into rtpengine. Stopping (from the live
view or the phone's own hang-up) is ``unsubscribe``; the call's end hangs the phone up.

Whisper (the supervisor heard by the agent alone) and barge (heard by both) need the
supervisor's voice *mixed into* what the agent's (and the customer's) phone already receives;
rtpengine 10.5 forwards a second source into a stream interleaved, not mixed (measured,
docs/voice.md), so they put a media bridge in the call's path instead (``barge.py``).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from sippy.CCEvents import CCEventConnect, CCEventDisconnect, CCEventFail, CCEventTry
from sippy.MsgBody import MsgBody
from sippy.SipCallId import SipCallId
from sippy.UA import UA

from pasokh.interactions.access import access_interaction
from pasokh.interactions.models import Interaction
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Role, User
from pasokh.voice import controls
from pasokh.voice.call_audit import record_call_request
from pasokh.voice.controls import CallControlError
from pasokh.voice.media import log
from pasokh.voice.mixer import ListenMixer
from pasokh.voice.models import Call, SipAccount
from pasokh.voice.ng import NgError
from pasokh.voice.session import AGENT_TAG, CUSTOMER_TAG, CallSession

if TYPE_CHECKING:
    from pasokh.voice.control import Controller

SUPERVISING_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def media_host(controller: Controller) -> str:
    """Where the mixer listens: the voice service's own SIP address (phones and rtpengine
    reach the service there); loopback when the service listens on every address."""
    host = str(controller.sip_config.get("_sip_address") or "127.0.0.1")
    return "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104  (compared, not bound)


def _sdp_head(host: str) -> str:
    return f"v=0\r\no=pasokh 1 1 IN IP4 {host}\r\ns=-\r\nc=IN IP4 {host}\r\nt=0 0\r\n"


def listen_offer(host: str, port: int) -> str:
    """What the supervisor's phone is offered: the mixer's output, nothing to send back."""
    return _sdp_head(host) + f"m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n"


def fork_answer(host: str, offer: str, ports: list[int]) -> str:
    """The answer to rtpengine's subscription offer: each of its media sections received on
    one of the mixer's ports, with the codecs it offered (all of them must be accepted)."""
    head = _sdp_head(host)
    sections = re.split(r"\r?\n(?=m=)", offer.strip())[1:]
    body = ""
    for section, port in zip(sections, ports, strict=True):
        lines = section.splitlines()
        formats = lines[0].split()[3:]
        body += f"m=audio {port} RTP/AVP {' '.join(formats)}\r\n"
        body += "".join(f"{line}\r\n" for line in lines if line.startswith(("a=rtpmap", "a=fmtp")))
        body += "a=recvonly\r\n"
    return head + body


def media_address(sdp: str) -> tuple[str, int] | None:
    host = re.search(r"^c=IN IP4 (\S+)", sdp, re.MULTILINE)
    port = re.search(r"^m=audio (\d+)", sdp, re.MULTILINE)
    if host is None or port is None or port.group(1) == "0":
        return None
    return host.group(1), int(port.group(1))


@dataclass
class Listener:
    """One supervisor listening to one call: their phone's dialog and the mixer."""

    controller: Controller
    session: CallSession
    supervisor_id: int
    mixer: ListenMixer
    ua: Any = None
    answered: bool = False  # the phone answered: the mix is on its way to it
    closed: bool = False

    @property
    def tag(self) -> str:
        return f"listen-{self.supervisor_id}"

    # ── the supervisor's phone (SIP thread) ─────────────────────────────────────────────────

    def ring(self, address: tuple[str, int], username: str, transport: str) -> None:
        if self.closed:
            return
        self.ua = UA(
            self.controller.sip_config,
            self.on_event,
            nh_address=address,
            nh_transport=transport,
        )
        caller = self.session.caller or "listen"
        name = self.session.caller_name or caller
        offer = MsgBody(listen_offer(self.mixer.host, self.mixer.output_port))
        self.ua.recvEvent(CCEventTry((SipCallId(), caller, username, offer, None, name)))

    def on_event(self, event: Any, ua: Any) -> None:
        if self.closed or ua is not self.ua:
            return
        if isinstance(event, CCEventConnect):
            body = event.getData()[2] if event.getData() else None
            self.controller.later(listen_answered, self, str(body or ""))
        elif isinstance(event, CCEventFail | CCEventDisconnect):
            self.closed = True
            self.ua = None
            self.controller.later(listen_ended, self)

    def hang_up(self) -> None:
        self.closed = True
        ua, self.ua = self.ua, None
        if ua is not None:
            ua.recvEvent(CCEventDisconnect())


# ── the controller thread ──────────────────────────────────────────────────────────────────


def start_listening(controller: Controller, interaction_id: str, supervisor_id: int) -> None:
    session = controller.by_interaction.get(interaction_id)
    binding = controller.registrar.binding_of(supervisor_id)
    if session is None or session.stage != "connected" or binding is None:
        return
    if any(listener.supervisor_id == supervisor_id for listener in session.listeners):
        return
    mixer = ListenMixer(2, media_host(controller))
    listener = Listener(controller, session, supervisor_id, mixer)
    try:
        fork = controller.ng.command(
            "subscribe request",
            call_id=session.media_id,
            from_tags=[CUSTOMER_TAG, AGENT_TAG],
            to_tag=listener.tag,
        )
        controller.ng.command(
            "subscribe answer",
            call_id=session.media_id,
            to_tag=listener.tag,
            sdp=fork_answer(mixer.host, str(fork["sdp"]), mixer.ports),
        )
    except (NgError, OSError, KeyError, ValueError) as error:
        log.error("voice: rtpengine could not fork %s: %s", session.media_id, error)
        mixer.stop()
        return
    mixer.start()
    session.listeners.append(listener)
    log.info("voice: supervisor %s listens to %s", supervisor_id, session.media_id)
    controller.sip(listener.ring, binding.address, binding.username, binding.transport)


def listen_answered(listener: Listener, sdp: str) -> None:
    target = media_address(sdp)
    if target is None or listener.closed:
        return
    listener.mixer.send_to(target)
    listener.answered = True


def listen_ended(listener: Listener) -> None:
    """The supervisor's phone hung up (or never answered): the fork and the mixer go."""
    session = listener.session
    if listener not in session.listeners:
        return
    session.listeners.remove(listener)
    with contextlib.suppress(NgError, OSError):
        listener.controller.ng.command("unsubscribe", call_id=session.media_id, to_tag=listener.tag)
    listener.mixer.stop()
    session.media_stats[listener.tag] = {
        "customer": listener.mixer.received[0],
        "agent": listener.mixer.received[1],
        "sent": listener.mixer.sent,
        "discarded": listener.mixer.discarded,
    }
    log.info(
        "voice: supervisor %s stopped listening to %s", listener.supervisor_id, session.media_id
    )


def stop_listening(controller: Controller, interaction_id: str, supervisor_id: int) -> None:
    session = controller.by_interaction.get(interaction_id)
    if session is None:
        return
    for listener in list(session.listeners):
        if listener.supervisor_id == supervisor_id:
            controller.sip(listener.hang_up)
            listen_ended(listener)


def end_listening(controller: Controller, session: CallSession) -> None:
    """The call ends (``Controller._finish``, before rtpengine forgets it): every supervisor's
    phone gets BYE (and a supervisor's who joined it, ``barge.py``)."""
    for listener in list(session.listeners):
        controller.sip(listener.hang_up)
        listen_ended(listener)
    from pasokh.voice import barge  # barge imports this module

    barge.end(controller, session)


# ── the live view (web threads) ────────────────────────────────────────────────────────────


def _supervised_call(user: User, interaction_id: object) -> tuple[Controller, str]:
    """A live phone call of the supervisor's own tenant, and the controller that has it."""
    if user.role not in SUPERVISING_ROLES:
        raise PermissionError(_("Only supervisors can listen in on calls."))
    try:
        interaction = access_interaction(user, interaction_id)
    except Http404 as error:  # another tenant's, or no such interaction
        raise CallControlError(_("There is no such call.")) from error
    controller = controls.attached()
    iid = str(interaction.pk)
    session = controller.by_interaction.get(iid) if controller is not None else None
    if (
        interaction.channel != "voice"
        or interaction.status != Interaction.Status.ACTIVE
        or controller is None
        or session is None
        or session.stage != "connected"
    ):
        raise CallControlError(_("This call is no longer on the line."))
    return controller, iid


def do_listen_in(user: User, interaction_id: object) -> None:
    controller, iid = _supervised_call(user, interaction_id)
    if not SipAccount.objects.filter(user=user, tenant_id=user.tenant_id, is_active=True).exists():
        raise CallControlError(_("Listening in needs a phone: ask an admin for a SIP account."))
    binding = controller.registrar.binding_of(user.pk)
    if binding is None:
        raise CallControlError(_("Your phone is not signed in: register your SIP phone first."))
    if binding.is_webrtc:
        raise CallControlError(_("Listening in needs a desk phone; the browser softphone cannot."))
    controller.later(start_listening, controller, iid, user.pk)
    record_call_request(user, iid, "voice.listen_in")


def do_stop_listening(user: User, interaction_id: object) -> None:
    controller, iid = _supervised_call(user, interaction_id)
    controller.later(stop_listening, controller, iid, user.pk)


def _ringing(listener: Listener | None) -> bool:
    return listener is not None and not listener.answered


def _listening(listener: Listener | None) -> bool:
    return listener is not None and listener.answered


def live_calls(user: User) -> list[dict[str, object]]:
    """The tenant's connected phone calls for the live view, with whether this supervisor's
    phone rings to listen to each, or listens."""
    if user.role not in SUPERVISING_ROLES:
        raise PermissionError(_("Only supervisors can listen in on calls."))
    controller = controls.attached()
    mine: dict[str, Listener] = {}
    if controller is not None:
        for iid, session in list(controller.by_interaction.items()):
            for listener in list(session.listeners):
                if listener.supervisor_id == user.pk:
                    mine[iid] = listener
    calls = (
        visible_to(user, Call)
        .filter(
            ended_at__isnull=True,
            state__in=(Call.State.CONNECTED, Call.State.ON_HOLD),
            interaction__isnull=False,
        )
        .select_related("interaction__agent", "interaction__contact")
        .order_by("answered_at")
    )
    rows: list[dict[str, object]] = []
    for call in calls:
        interaction = call.interaction
        assert interaction is not None
        contact = interaction.contact
        name = f"{contact.first_name} {contact.last_name}".strip() if contact else ""
        agent = interaction.agent
        rows.append(
            {
                "interaction": interaction.pk,
                "caller": call.caller,
                "customer": name,
                "agent": (agent.get_full_name() or agent.get_username()) if agent else "",
                "answered_at": call.answered_at.isoformat() if call.answered_at else None,
                "on_hold": call.state == Call.State.ON_HOLD,
                "ringing": _ringing(mine.get(str(interaction.pk))),
                "listening": _listening(mine.get(str(interaction.pk))),
            }
        )
    return rows
