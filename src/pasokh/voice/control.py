"""The call controller: every decision about a call, on one thread of its own.

SIP events (from the sippy thread), DTMF reports (from rtpengine) and routing events (from the
router bus) are queued here with ``later``; the work runs on the ``voice-control`` workers
(``workers.py``), which may use the database, rtpengine and the router (``submit``). Each call
is pinned to one worker, so its work runs in order while other calls' work overlaps its waits.
What it decides for a SIP dialog it hands back to the reactor with ``sip``
(``ED2.callFromThread``).

Call stages: setup → ivr (prompt, digits) → queued (hold music; routing looks for an agent) →
ringing (the offered agent's phone) → connected (media bridged through rtpengine) → ended.
Outside business hours: setup → closed (the closed message) → ended. A connected call may be
put on hold, handed to another agent (warm) or sent back to a queue (blind) from the desk.

The menu (``menu.MenuFlow``), callbacks (``callbacks.CallbackFlow``), transfers
(``transfers.TransferFlow``), hold (``hold.HoldFlow``), mute (``mute.MuteFlow``), the desk's
keypad (``keypad.KeypadFlow``), click-to-call (``dialer.ClickToCallFlow``) and transfers to
an external number (``forward.ExternalTransferFlow``) live in modules of their own;
``Controller`` combines them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import close_old_connections, connections
from django.utils import timezone

from pasokh.persian.phone import try_normalize_phone
from pasokh.router import bus
from pasokh.router.actions import do_enqueue_interaction
from pasokh.router.runtime_models import EntryStatus, QueueEntry
from pasokh.router.service import RoutingError, submit
from pasokh.routing import commands as c
from pasokh.voice import actions, controls, ondemand, prompts, supervision, webrtc
from pasokh.voice.callbacks import CallbackFlow
from pasokh.voice.config_cache import CallConfig
from pasokh.voice.desk_requests import RemoteDeskRequests
from pasokh.voice.dialer import ClickToCallFlow
from pasokh.voice.forward import ExternalTransferFlow
from pasokh.voice.hold import HoldFlow
from pasokh.voice.keypad import KeypadFlow
from pasokh.voice.media import (
    HOLD_REPEATS,
    OFFER_GONE,
    _user_part,
    log,
    sdp_placeholder,
)
from pasokh.voice.menu import MenuFlow
from pasokh.voice.models import Call, CallLeg, IvrChoice, VoicePolicy
from pasokh.voice.mute import MuteFlow
from pasokh.voice.ng import NgClient, NgError
from pasokh.voice.registrar import Registrar
from pasokh.voice.routing_log import RoutingLog
from pasokh.voice.session import AGENT_TAG, CUSTOMER_TAG, CallSession
from pasokh.voice.sipstack import ED2
from pasokh.voice.transfers import TransferFlow
from pasokh.voice.workers import Lanes

# What the desk may ask of a live call (``controls.py``): the controller's method of each name.
DESK_REQUESTS = frozenset({"hold", "resume", "mute", "unmute", "send_digits", "transfer_out"})

# Controller workers (docs/voice.md "Threads"): enough for rtpengine's, the database's and the
# router's waits of some calls to overlap the others' work: 8 lost fewer calls at 30/s than 4
# (docs/PERFORMANCE.md "Voice, 2026-12-07").
WORKERS = 8


class Controller(
    MenuFlow,
    CallbackFlow,
    TransferFlow,
    HoldFlow,
    MuteFlow,
    KeypadFlow,
    ClickToCallFlow,
    ExternalTransferFlow,
):
    def __init__(
        self,
        ng: NgClient,
        registrar: Registrar,
        sink_port: int,
        recordings: Path | None = None,
    ) -> None:
        self.sip_config: dict[str, Any] = {}  # sippy's configuration, set by the service
        self.ng = ng
        self.registrar = registrar
        self.sink_port = sink_port
        self.recordings = recordings  # rtpengine's --recording-dir; None: no recordings
        self.sessions: dict[str, CallSession] = {}  # media id → session
        self.by_interaction: dict[str, CallSession] = {}
        self.config = CallConfig()  # numbers, menus, choices, calendars (config_cache.py)
        self._pool = Lanes(WORKERS, "voice-control")
        self._routing_log: RoutingLog | None = None

    # ── plumbing ───────────────────────────────────────────────────────────────────────────

    def later(self, function: Callable[..., None], *args: Any) -> None:
        self._pool.submit(self._lane(args), self._run, function, args)

    def _lane(self, args: tuple[Any, ...]) -> int:
        """The worker for a piece of work: its call's (found from a session, a media id, an
        interaction id, a listener or a routing event among the arguments), else one by its
        key, so that work about one call never runs on two workers at once."""
        for arg in args:
            session = self._session_of(arg)
            if session is not None:
                if session.lane is None:
                    session.lane = self._pool.lane_of(session.media_id)
                return session.lane
        for arg in args:
            key = arg if isinstance(arg, str) else getattr(arg, "interaction_id", None)
            if key is not None:
                return self._pool.lane_of(str(key))
        return 0

    def _session_of(self, arg: Any) -> CallSession | None:
        if isinstance(arg, CallSession):
            return arg
        if isinstance(arg, str):
            return self.sessions.get(arg) or self.by_interaction.get(arg)
        session = getattr(arg, "session", None)
        if isinstance(session, CallSession):
            return session
        interaction_id = getattr(arg, "interaction_id", None)
        return None if interaction_id is None else self.by_interaction.get(str(interaction_id))

    def _run(self, function: Callable[..., None], args: tuple[Any, ...]) -> None:
        close_old_connections()
        try:
            function(*args)
        except Exception:
            log.exception("voice: %s failed", getattr(function, "__name__", function))
            session = args[0] if args and isinstance(args[0], CallSession) else None
            if session is not None and session.stage != "ended":
                self._abort(session)

    def _abort(self, session: CallSession) -> None:
        """A fault must not leave a caller in silence: end the call everywhere."""
        with contextlib.suppress(Exception):
            self._finish(session, Call.EndReason.SERVICE_ERROR)
        self.sip(session.drop_agent)
        self.sip(session.hang_up_customer)
        if session.interaction_id is not None and session.tenant_id is not None:
            with contextlib.suppress(Exception):
                submit(
                    session.tenant_id, c.CancelInteraction(session.interaction_id, "voice_fault")
                )

    @staticmethod
    def sip(function: Callable[..., None], *args: Any) -> None:
        ED2.callFromThread(function, *args)

    def shutdown(self) -> None:
        # Each worker's database connection is closed in its own thread before it ends.
        self._pool.everywhere(connections.close_all)
        self._pool.shutdown()

    def connect_bus(self, *, from_log: bool = False) -> None:
        """Hear routing on the in-process bus and take the desk's requests from this process,
        or (``from_log``: a voice process of its own) read both from the database: routing
        from the router's event log, which has every process's events (``routing_log.py``)."""
        if from_log:  # the desk's requests come as rows too (``desk_requests.py``)
            desk = RemoteDeskRequests(self)
            self._routing_log = RoutingLog(
                self.on_routing_event, self.wants_routing_event, desk.poll
            )
            self._routing_log.start()
        else:
            bus.subscribe(self.on_routing_event)
            controls.attach(self)

    def disconnect_bus(self) -> None:
        controls.detach(self)
        bus.unsubscribe(self.on_routing_event)
        if self._routing_log is not None:
            self._routing_log.stop()
            self._routing_log = None

    # ── a new call ─────────────────────────────────────────────────────────────────────────

    def new_call(self, session: CallSession, called: str, caller: str, offer: str) -> None:
        dialed = try_normalize_phone(_user_part(called)) or _user_part(called)
        number = self.config.number(dialed)
        if number is None:
            log.info("voice: call to unknown number %s", dialed)
            self.sip(session.refuse_customer, 404, "Not Found")
            return
        if "m=audio" not in offer:
            self.sip(session.refuse_customer, 488, "Not Acceptable Here")
            return
        session.tenant_id = number.tenant_id
        session.caller = try_normalize_phone(_user_part(caller)) or ""
        session.customer_sdp = offer
        try:
            agent_side = self.ng.command(
                "offer",
                call_id=session.media_id,
                from_tag=CUSTOMER_TAG,
                sdp=offer,
                replace=["origin", "session-connection"],
                **webrtc.customer_offer_flags(offer),
            )
            session.agent_sdp = str(agent_side["sdp"])
            customer_side = self.ng.command(
                "answer",
                call_id=session.media_id,
                from_tag=CUSTOMER_TAG,
                to_tag=AGENT_TAG,
                sdp=sdp_placeholder(self.sink_port),
                replace=["origin", "session-connection"],
            )
        except (NgError, OSError, KeyError) as error:
            log.error("voice: rtpengine could not anchor the call: %s", error)
            self.sip(session.refuse_customer, 503, "Service Unavailable")
            return
        call = actions.do_open_call(
            number=number,
            caller=session.caller,
            media_id=session.media_id,
            sip_call_id=str(session.customer.cId) if session.customer else "",
        )
        session.call_id = call.pk
        self.sessions[session.media_id] = session
        self.sip(session.answer_customer, str(customer_side["sdp"]))
        if not self.config.calendar(number.tenant).is_open(timezone.now()):
            self._closed(session, number.menu)
            return
        self._enter_menu(session, number.menu)

    def _play(self, session: CallSession, path: Path, repeat: int = 1) -> None:
        """Play ``path`` to the customer. rtpengine replaces what it was playing them (one
        stream, its SSRC kept; measured), so no ``stop media`` goes first."""
        self.ng.command(
            "play media",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            file=str(prompts.playable(path)),
            repeat_times=repeat,
        )

    # ── the queue ──────────────────────────────────────────────────────────────────────────

    def _queue(self, session: CallSession, choice: IvrChoice) -> None:
        assert choice.queue is not None
        assert session.call_id is not None
        session.stage = "queued"
        try:
            self._play(session, prompts.hold_music(), repeat=HOLD_REPEATS)
        except (NgError, prompts.PromptError, OSError) as error:  # waits in silence, but waits
            log.warning("voice: no hold music for %s: %s", session.media_id, error)
        interaction = actions.do_queue_call(
            session.call_id, queue=choice.queue, caller=session.caller, digits=session.digits
        )
        contact = interaction.contact
        session.caller_name = f"{contact.first_name} {contact.last_name}".strip() if contact else ""
        session.interaction_id = str(interaction.pk)
        log.info(
            "voice: %s waits in %s as interaction %s",
            session.media_id,
            choice.queue.code,
            interaction.pk,
        )
        self.by_interaction[session.interaction_id] = session
        do_enqueue_interaction(interaction, choice.queue.code)

    def wants_routing_event(self, name: str, interaction_id: str) -> bool:
        """Whether ``on_routing_event`` would do anything with such an event."""
        return interaction_id in self.by_interaction or name == "interaction.offered"

    def on_routing_event(self, tenant_id: int, event: Any) -> None:
        """Router bus subscriber: any thread; the work is queued for the controller."""
        interaction_id = getattr(event, "interaction_id", None)
        if interaction_id is None:
            return
        if interaction_id in self.by_interaction:
            self.later(self.routing_event, interaction_id, event)
        elif event.name == "interaction.offered":
            self.later(self.callback_offered, tenant_id, event)

    def routing_event(self, interaction_id: str, event: Any) -> None:
        session = self.by_interaction.get(interaction_id)
        if session is None or session.customer_gone:
            return
        if session.outbound and self._outbound_event(session, event):
            return
        if event.name == "interaction.offered" and event.kind == "consult":
            self._consult(session, int(event.agent_id))
        elif event.name == "interaction.offered":
            self._offer(session, int(event.agent_id), int(event.offer_id))
        elif event.name in OFFER_GONE and self._consult_withdrawn(session, _int(event.agent_id)):
            return
        elif event.name in ("offer.revoked", "offer.expired") and session.stage == "ringing":
            if session.agent_user_id == _int(event.agent_id):
                self.sip(session.drop_agent)
                self._back_to_queue(session)
        elif event.name == "interaction.transferred" and not event.warm:
            self._transferred_blind(session, event)
        elif event.name in ("interaction.ended", "interaction.cancelled") and (
            session.stage != "ended"
        ):
            self._finish(session, Call.EndReason.ROUTING_ENDED)
            self.sip(session.drop_agent)
            self.sip(session.hang_up_customer)

    def desk_request(self, interaction_id: str, verb: str, *args: Any) -> None:
        """Hold, resume, mute, unmute or digits, asked from the agent's desk (``controls.py``)."""
        session = self.by_interaction.get(interaction_id)
        if session is None:
            return
        if verb in DESK_REQUESTS:
            getattr(self, verb)(session, *args)

    def _offer(self, session: CallSession, agent_id: int, offer_id: int) -> None:
        binding = self.registrar.binding_of(agent_id)
        if binding is None:
            log.info("voice: agent %s has no registered phone; offer declined", agent_id)
            self._submit(
                session, c.RejectOffer(session.interaction_id or "", str(agent_id), "no_phone")
            )
            return
        log.info("voice: %s rings agent %s at %s:%d", session.media_id, agent_id, *binding.address)
        if binding.is_webrtc != session.agent_webrtc:
            session.agent_sdp = webrtc.offer_agent_side(
                self.ng, session, binding.is_webrtc, sdp_placeholder(self.sink_port)
            )
        session.stage = "ringing"
        session.agent_user_id = agent_id
        session.offer_id = offer_id
        name = session.caller_name or session.caller
        self.sip(
            session.ring_agent,
            binding.address,
            binding.username,
            session.caller,
            name,
            binding.transport,
        )

    def agent_leg_started(self, session: CallSession, sip_call_id: str) -> None:
        assert session.call_id is not None
        assert session.tenant_id is not None
        session.agent_leg_id = actions.do_open_agent_leg(
            call_id=session.call_id,
            tenant_id=session.tenant_id,
            agent_id=session.agent_user_id or 0,
            sip_call_id=sip_call_id,
        )

    def agent_ringing(self, session: CallSession) -> None:
        if session.agent_leg_id is not None:
            actions.do_update_leg(session.agent_leg_id, state=CallLeg.State.RINGING)

    def agent_answered(self, session: CallSession, sdp: str) -> None:
        if session.customer_gone:
            return
        try:
            self._submit(
                session, c.AcceptOffer(session.interaction_id or "", str(session.agent_user_id))
            )
        except RoutingError:
            if not self._held_by(session, session.agent_user_id):
                self.sip(session.drop_agent)  # the offer went elsewhere meanwhile
                return
            # else: the agent accepted on the desk while the phone rang; now it answered.
        with contextlib.suppress(NgError):
            self.ng.command("stop media", call_id=session.media_id, from_tag=CUSTOMER_TAG)
        bridged = None if session.agent_bridged else self._bridge(session, sdp)
        if session.dial_to is not None and bridged is not None:
            self._dial_customer(session, sdp, str(bridged["sdp"]))
            return
        ondemand.record_from_answer(self, session)
        session.stage = "connected"
        session.agent_sdp_answer = sdp
        first_answer = "at_answer" not in session.media_stats
        session.media_stats.setdefault("at_answer", self._media_stats(session.media_id))
        assert session.call_id is not None
        actions.do_answer_agent_leg(
            session.call_id, session.agent_leg_id, timezone.now(), first_answer=first_answer
        )

    def bridge_webrtc(self, session: CallSession, agent_sdp: str) -> None:
        """SIP thread, on a softphone's 200 OK: the browser starts ICE and DTLS at once, and
        rtpengine fails a DTLS handshake that begins before it has the browser's answer
        (fingerprint, ICE credentials), so the answer goes to rtpengine from here (one ng
        round trip, well under a millisecond) instead of waiting in the controller's queue."""
        try:
            self._bridge(session, agent_sdp)
        except (NgError, OSError) as error:
            log.warning("voice: early answer for %s failed: %s", session.media_id, error)
            return
        session.agent_bridged = True

    def _bridge(self, session: CallSession, agent_sdp: str) -> dict[str, Any]:
        return self.ng.command(
            "answer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            to_tag=AGENT_TAG,
            sdp=agent_sdp,
            replace=["origin", "session-connection"],
        )

    @staticmethod
    def _held_by(session: CallSession, agent_id: int | None) -> bool:
        """Routing has given the interaction to this agent already: they accepted the offer on
        the desk before their phone answered (the phone's answer then finds no offer)."""
        return QueueEntry.objects.filter(
            tenant_id=session.tenant_id,
            interaction_id=session.interaction_id or "",
            status=EntryStatus.ASSIGNED,
            agent_id=str(agent_id),
        ).exists()

    def _records_calls(self, session: CallSession) -> bool:
        policy = VoicePolicy.objects.filter(tenant_id=session.tenant_id).first()
        return policy is not None and policy.recording == VoicePolicy.Recording.ALL

    def agent_failed(self, session: CallSession, code: int) -> None:
        if session.agent_leg_id is not None:
            actions.do_update_leg(
                session.agent_leg_id,
                state=CallLeg.State.FAILED,
                status_code=code or None,
                ended_at=timezone.now(),
            )
        if session.customer_gone or session.stage != "ringing":
            return
        with contextlib.suppress(RoutingError):
            self._submit(
                session,
                c.RejectOffer(
                    session.interaction_id or "", str(session.agent_user_id), f"sip_{code}"
                ),
            )
        self._back_to_queue(session)

    def _back_to_queue(self, session: CallSession) -> None:
        if session.outbound:
            self._end_outbound(session, "agent_phone")  # an agent's own call: for nobody else
            return
        session.stage = "queued"
        session.agent_user_id = None
        session.agent_leg_id = None
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.QUEUED)

    def agent_hung_up(self, session: CallSession, agent_user_id: int | None = None) -> None:
        if session.stage not in ("connected", "dialing"):
            return
        if agent_user_id is not None and agent_user_id != session.agent_user_id:
            return  # the first agent of a warm transfer, whose phone was let go
        if session.interaction_id is not None:
            with contextlib.suppress(RoutingError):
                self._submit(session, c.EndInteraction(session.interaction_id))
        self._finish(session, Call.EndReason.AGENT_HANGUP)
        self.sip(session.drop_agent)  # a consulted agent's phone that still rings
        self.sip(session.hang_up_customer)

    # ── the customer ───────────────────────────────────────────────────────────────────────

    def customer_reinvite(self, session: CallSession, sdp: str) -> None:
        """A re-INVITE (hold, codec change): rtpengine learns the new address; the answer
        keeps the agent's side as it is."""
        session.customer_sdp = sdp
        self.ng.command(
            "offer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            sdp=sdp,
            replace=["origin", "session-connection"],
            **webrtc.agent_side_flags(session.agent_webrtc),
        )
        answer = self.ng.command(
            "answer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            to_tag=AGENT_TAG,
            sdp=session.agent_sdp_answer or sdp_placeholder(self.sink_port),
            replace=["origin", "session-connection"],
        )
        self.sip(session.answer_customer, str(answer["sdp"]))

    def customer_left(self, session: CallSession) -> None:
        if session.stage == "ended":
            return
        was = session.stage
        reason = Call.EndReason.CUSTOMER_HANGUP
        if session.call_id is None:
            reason = Call.EndReason.CANCELLED
        if was == "callback":
            session.interaction_id = None  # hung up during the confirmation: still a callback
            reason = Call.EndReason.CALLBACK
        if was == "dialing":
            reason = Call.EndReason.NOT_REACHED
            self.sip(session.drop_agent)
        self._finish(session, reason)
        if was == "voicemail":
            self._route_voicemail(session)
            return
        if session.interaction_id is None:
            return
        command: Any
        if was in ("connected", "dialing"):
            command = c.EndInteraction(session.interaction_id)
        else:
            command = c.AbandonInteraction(session.interaction_id)
        with contextlib.suppress(RoutingError):
            self._submit(session, command)

    # ── the end ────────────────────────────────────────────────────────────────────────────

    def _finish(self, session: CallSession, reason: str) -> None:
        session.stage = "ended"
        self.sessions.pop(session.media_id, None)
        if session.call_id is None:
            return
        session.media_stats["at_end"] = self._media_stats(session.media_id)
        supervision.end_listening(self, session)
        with contextlib.suppress(NgError, OSError):
            self.ng.command("delete", call_id=session.media_id)
        if session.recording:
            self._store_recording(session)
        actions.do_end_call(session.call_id, reason, media_stats=session.media_stats)
        if session.interaction_id is not None:
            self.by_interaction.pop(session.interaction_id, None)

    def _store_recording(self, session: CallSession) -> None:
        ondemand.store_recording(self, session)

    def _media_stats(self, media_id: str) -> dict[str, int]:
        """Packets rtpengine received from each side (the customer's, the agent's)."""
        try:
            answer = self.ng.command("query", call_id=media_id)
        except (NgError, OSError):
            return {}
        packets: dict[str, int] = {}
        for tag, monologue in (answer.get("tags") or {}).items():
            total = 0
            for media in monologue.get("medias", []):
                for stream in media.get("streams", []):
                    total += int(stream.get("stats", {}).get("packets", 0))
            packets[str(tag)] = total
        return packets

    def _submit(self, session: CallSession, command: Any) -> None:
        assert session.tenant_id is not None
        submit(session.tenant_id, command)

    def end_orphans(self) -> int:
        """At start: calls a previous run left open end now; their interactions too."""
        ended = 0
        for call in actions.unfinished_calls():
            actions.do_end_call(call.pk, Call.EndReason.SERVICE_RESTART)
            ended += 1
            if call.interaction_id is None:
                continue
            iid = str(call.interaction_id)
            command: Any = (
                c.EndInteraction(iid)
                if call.state == Call.State.CONNECTED
                else c.AbandonInteraction(iid)
            )
            with contextlib.suppress(RoutingError):
                submit(call.tenant_id, command)
        return ended


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
