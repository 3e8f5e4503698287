"""The call controller: every decision about a call, on one thread of its own.

SIP events (from the sippy thread), DTMF reports (from rtpengine) and routing events (from the
router bus) are queued here with ``later``; the work runs in order on the ``voice-control``
thread, which may use the database, rtpengine and the router (``submit``). What it decides for
a SIP dialog it hands back to the reactor with ``sip`` (``ED2.callFromThread``).

Call stages: setup → ivr (prompt, digits) → queued (hold music; routing looks for an agent) →
ringing (the offered agent's phone) → connected (media bridged through rtpengine) → ended.
Outside business hours: setup → closed (the closed message) → ended.
"""

from __future__ import annotations

import contextlib
import logging
import re
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone, translation
from django.utils.translation import gettext

from pasokh.interactions.actions import do_start_call
from pasokh.persian.phone import try_normalize_phone
from pasokh.router import bus
from pasokh.router.actions import do_enqueue_interaction
from pasokh.router.service import RoutingError, submit
from pasokh.routing import commands as c
from pasokh.tenancy.calendars import business_calendar
from pasokh.voice import actions, prompts, recording
from pasokh.voice.models import Call, CallLeg, IvrChoice, IvrMenu, PhoneNumber, VoicePolicy
from pasokh.voice.ng import NgClient, NgError
from pasokh.voice.registrar import Registrar
from pasokh.voice.session import AGENT_TAG, CUSTOMER_TAG, CallSession
from pasokh.voice.sipstack import ED2

log = logging.getLogger("pasokh.voice")

HOLD_REPEATS = 10000
VOICEMAIL_MAX_S = 120.0
CALLBACK_DIGIT = "1"  # pressed while waiting: "call me back"
DIGITS = "0123456789*#ABCD"


def sdp_placeholder(port: int) -> str:
    """The agent side's SDP until an agent answers: media goes to the service's sink socket."""
    return (
        "v=0\r\no=pasokh 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
    )


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return audio.getnframes() / float(audio.getframerate())


def _user_part(uri_text: str) -> str:
    match = re.search(r"sips?:([^@;>]+)@", uri_text)
    return match.group(1) if match else uri_text


class Controller:
    def __init__(
        self,
        ng: NgClient,
        registrar: Registrar,
        sink_port: int,
        recordings: Path | None = None,
    ) -> None:
        self.ng = ng
        self.registrar = registrar
        self.sink_port = sink_port
        self.recordings = recordings  # rtpengine's --recording-dir; None: no recordings
        self.sessions: dict[str, CallSession] = {}  # media id → session
        self.by_interaction: dict[str, CallSession] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voice-control")

    # ── plumbing ───────────────────────────────────────────────────────────────────────────

    def later(self, function: Callable[..., None], *args: Any) -> None:
        self._pool.submit(self._run, function, args)

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
        self._pool.shutdown(wait=True)

    def connect_bus(self) -> None:
        bus.subscribe(self.on_routing_event)

    def disconnect_bus(self) -> None:
        bus.unsubscribe(self.on_routing_event)

    # ── a new call ─────────────────────────────────────────────────────────────────────────

    def new_call(self, session: CallSession, called: str, caller: str, offer: str) -> None:
        dialed = try_normalize_phone(_user_part(called)) or _user_part(called)
        number = (
            PhoneNumber.objects.filter(number=dialed, is_active=True)
            .select_related("menu", "tenant")
            .first()
        )
        if number is None:
            log.info("voice: call to unknown number %s", dialed)
            self.sip(session.refuse_customer, 404, "Not Found")
            return
        if "m=audio" not in offer:
            self.sip(session.refuse_customer, 488, "Not Acceptable Here")
            return
        session.tenant_id = number.tenant_id
        session.caller = try_normalize_phone(_user_part(caller)) or ""
        try:
            agent_side = self.ng.command(
                "offer",
                call_id=session.media_id,
                from_tag=CUSTOMER_TAG,
                sdp=offer,
                replace=["origin", "session-connection"],
                flags=["inject-DTMF"],
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
        if not business_calendar(number.tenant).is_open(timezone.now()):
            self._closed(session, number.menu)
            return
        self._enter_menu(session, number.menu)

    def _enter_menu(self, session: CallSession, menu: IvrMenu) -> None:
        session.stage = "ivr"
        session.menu_id = menu.pk
        session.attempts += 1
        prompt = prompts.menu_prompt(menu)
        self._play(session, prompt)
        self.sip(session.arm_timer, wav_seconds(prompt) + menu.timeout_s, "digit")

    def _closed(self, session: CallSession, menu: IvrMenu) -> None:
        session.stage = "closed"
        session.menu_id = menu.pk
        prompt = prompts.closed_prompt(menu)
        self._play(session, prompt)
        self.sip(session.arm_timer, wav_seconds(prompt) + 0.5, "closed")

    def _play(self, session: CallSession, path: Path, repeat: int = 1) -> None:
        with contextlib.suppress(NgError):
            self.ng.command("stop media", call_id=session.media_id, from_tag=CUSTOMER_TAG)
        self.ng.command(
            "play media",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            file=str(path),
            repeat_times=repeat,
        )

    # ── the menu ───────────────────────────────────────────────────────────────────────────

    def dtmf(self, media_id: str, digit: str) -> None:
        session = self.sessions.get(media_id)
        log.info("voice: %s pressed %s (%s)", media_id, digit, session and session.stage)
        if session is None or session.customer_gone:
            return
        if session.stage == "queued" and digit == CALLBACK_DIGIT:
            self._callback(session)
            return
        if session.stage != "ivr":
            return
        self.sip(session.cancel_timer)
        assert session.call_id is not None
        session.media_stats.setdefault("at_digit", self._media_stats(session.media_id))
        call = Call.objects.get(pk=session.call_id)
        actions.do_update_call(call.pk, digits=(call.digits + digit)[-32:])
        choice = (
            IvrChoice.objects.filter(menu_id=session.menu_id, digit=digit)
            .select_related("queue", "submenu")
            .first()
        )
        menu = IvrMenu.objects.get(pk=session.menu_id)
        if choice is None:
            self._retry(session, menu)
        elif choice.action == IvrChoice.Action.MENU and choice.submenu is not None:
            session.attempts = 0
            self._enter_menu(session, choice.submenu)
        elif choice.action == IvrChoice.Action.QUEUE and choice.queue is not None:
            self._queue(session, choice)
        else:
            self._voicemail_greeting(session, menu)

    def _voicemail_greeting(self, session: CallSession, menu: IvrMenu) -> None:
        if self.recordings is None:
            self._closed(session, menu)
            return
        session.stage = "greeting"
        prompt = prompts.voicemail_greeting(menu)
        self._play(session, prompt)
        self.sip(session.arm_timer, wav_seconds(prompt) + 0.2, "greeting")

    def _record_voicemail(self, session: CallSession) -> None:
        """After the greeting: record what the caller says until they hang up (or 2 minutes)."""
        assert session.call_id is not None
        session.stage = "voicemail"
        with contextlib.suppress(NgError):
            self.ng.command("stop media", call_id=session.media_id, from_tag=CUSTOMER_TAG)
        self.ng.command("start recording", call_id=session.media_id)
        session.recording = True
        actions.do_update_call(session.call_id, state=Call.State.VOICEMAIL)
        self.sip(session.arm_timer, VOICEMAIL_MAX_S, "voicemail")

    def _retry(self, session: CallSession, menu: IvrMenu) -> None:
        if session.attempts >= menu.max_attempts:
            self._finish(session, Call.EndReason.NO_INPUT)
            self.sip(session.hang_up_customer)
            return
        self._enter_menu(session, menu)

    def timer_fired(self, session: CallSession, kind: str) -> None:
        if session.customer_gone:
            return
        if kind == "digit" and session.stage == "ivr":
            self._retry(session, IvrMenu.objects.get(pk=session.menu_id))
        elif kind == "closed":
            menu = IvrMenu.objects.get(pk=session.menu_id)
            if menu.voicemail_queue_id is not None and self.recordings is not None:
                self._record_voicemail(session)
            else:
                self._finish(session, Call.EndReason.CLOSED)
                self.sip(session.hang_up_customer)
        elif kind == "callback" and session.stage == "callback":
            session.interaction_id = None  # routing keeps it; this line is done
            self._finish(session, Call.EndReason.CALLBACK)
            self.sip(session.hang_up_customer)
        elif kind == "greeting":
            self._record_voicemail(session)
        elif kind == "voicemail":
            self._finish(session, Call.EndReason.CUSTOMER_HANGUP)
            self.sip(session.hang_up_customer)

    # ── the queue ──────────────────────────────────────────────────────────────────────────

    def _queue(self, session: CallSession, choice: IvrChoice) -> None:
        assert choice.queue is not None
        assert session.call_id is not None
        session.stage = "queued"
        self._play(session, prompts.hold_music(), repeat=HOLD_REPEATS)
        interaction = do_start_call(
            tenant=choice.queue.tenant,
            caller=session.caller or None,
            queue=choice.queue,
            subject=session.caller,
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
        actions.do_update_call(
            session.call_id,
            interaction=interaction,
            state=Call.State.QUEUED,
            queued_at=timezone.now(),
        )
        do_enqueue_interaction(interaction, choice.queue.code)

    def _callback(self, session: CallSession) -> None:
        """The waiting caller pressed 1: routing keeps their place as a callback; they hear a
        confirmation and the line is freed."""
        assert session.tenant_id is not None
        assert session.interaction_id is not None
        try:
            self._submit(session, c.RequestCallback(session.interaction_id))
        except RoutingError:
            return  # already offered to an agent: keep waiting on the line
        session.stage = "callback"
        self.by_interaction.pop(session.interaction_id, None)
        assert session.call_id is not None
        call = Call.objects.select_related("number__menu").get(pk=session.call_id)
        prompt = prompts.callback_confirmation(call.number.menu if call.number else None)
        self._play(session, prompt)
        self.sip(session.arm_timer, wav_seconds(prompt) + 0.3, "callback")

    def on_routing_event(self, tenant_id: int, event: Any) -> None:
        """Router bus subscriber: any thread; the work is queued for the controller."""
        interaction_id = getattr(event, "interaction_id", None)
        if interaction_id is None or interaction_id not in self.by_interaction:
            return
        self.later(self.routing_event, interaction_id, event)

    def routing_event(self, interaction_id: str, event: Any) -> None:
        session = self.by_interaction.get(interaction_id)
        if session is None or session.customer_gone:
            return
        if event.name == "interaction.offered":
            self._offer(session, int(event.agent_id), int(event.offer_id))
        elif event.name in ("offer.revoked", "offer.expired") and session.stage == "ringing":
            if session.agent_user_id == _int(event.agent_id):
                self.sip(session.drop_agent)
                self._back_to_queue(session)
        elif event.name in ("interaction.ended", "interaction.cancelled") and (
            session.stage != "ended"
        ):
            self._finish(session, Call.EndReason.ROUTING_ENDED)
            self.sip(session.drop_agent)
            self.sip(session.hang_up_customer)

    def _offer(self, session: CallSession, agent_id: int, offer_id: int) -> None:
        binding = self.registrar.binding_of(agent_id)
        if binding is None:
            log.info("voice: agent %s has no registered phone; offer declined", agent_id)
            self._submit(
                session, c.RejectOffer(session.interaction_id or "", str(agent_id), "no_phone")
            )
            return
        log.info("voice: %s rings agent %s at %s:%d", session.media_id, agent_id, *binding.address)
        session.stage = "ringing"
        session.agent_user_id = agent_id
        session.offer_id = offer_id
        name = session.caller_name or session.caller
        self.sip(session.ring_agent, binding.address, binding.username, session.caller, name)

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
            self.sip(session.drop_agent)  # the offer went elsewhere meanwhile
            return
        with contextlib.suppress(NgError):
            self.ng.command("stop media", call_id=session.media_id, from_tag=CUSTOMER_TAG)
        self.ng.command(
            "answer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            to_tag=AGENT_TAG,
            sdp=sdp,
            replace=["origin", "session-connection"],
        )
        if self.recordings is not None and self._records_calls(session):
            self.ng.command("start recording", call_id=session.media_id)
            session.recording = True
        session.stage = "connected"
        session.agent_sdp_answer = sdp
        session.media_stats["at_answer"] = self._media_stats(session.media_id)
        now = timezone.now()
        if session.agent_leg_id is not None:
            actions.do_update_leg(
                session.agent_leg_id, state=CallLeg.State.ANSWERED, answered_at=now, status_code=200
            )
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.CONNECTED, answered_at=now)

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
        session.stage = "queued"
        session.agent_user_id = None
        session.agent_leg_id = None
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.QUEUED)

    def agent_hung_up(self, session: CallSession) -> None:
        if session.stage != "connected":
            return
        self._finish(session, Call.EndReason.AGENT_HANGUP)
        self.sip(session.hang_up_customer)

    # ── the customer ───────────────────────────────────────────────────────────────────────

    def customer_reinvite(self, session: CallSession, sdp: str) -> None:
        """A re-INVITE (hold, codec change): rtpengine learns the new address; the answer
        keeps the agent's side as it is."""
        self.ng.command(
            "offer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            sdp=sdp,
            replace=["origin", "session-connection"],
            flags=["inject-DTMF"],
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
        self._finish(session, reason)
        if was == "voicemail":
            self._route_voicemail(session)
            return
        if session.interaction_id is None:
            return
        command: Any
        if was == "connected":
            command = c.EndInteraction(session.interaction_id)
        else:
            command = c.AbandonInteraction(session.interaction_id)
        with contextlib.suppress(RoutingError):
            self._submit(session, command)

    def _route_voicemail(self, session: CallSession) -> None:
        """A voicemail is an interaction like any other: it waits in the menu's queue."""
        assert session.call_id is not None
        call = Call.objects.select_related("number__menu__voicemail_queue").get(pk=session.call_id)
        queue = call.number.menu.voicemail_queue if call.number else None
        if queue is None or not call.recording:
            return
        with translation.override(call.number.menu.language if call.number else "fa"):
            subject = f"{gettext('Voicemail')} {session.caller}".strip()
        interaction = do_start_call(
            tenant=queue.tenant, caller=session.caller or None, queue=queue, subject=subject
        )
        actions.do_update_call(call.pk, interaction=interaction)
        do_enqueue_interaction(interaction, queue.code)

    # ── the end ────────────────────────────────────────────────────────────────────────────

    def _finish(self, session: CallSession, reason: str) -> None:
        session.stage = "ended"
        self.sessions.pop(session.media_id, None)
        if session.call_id is None:
            return
        session.media_stats["at_end"] = self._media_stats(session.media_id)
        with contextlib.suppress(NgError, OSError):
            self.ng.command("delete", call_id=session.media_id)
        actions.do_update_call(session.call_id, media_stats=session.media_stats)
        if session.recording:
            self._store_recording(session)
        actions.do_end_call(session.call_id, reason)
        if session.interaction_id is not None:
            self.by_interaction.pop(session.interaction_id, None)

    def _store_recording(self, session: CallSession) -> None:
        assert self.recordings is not None
        assert session.call_id is not None
        pcap = recording.find_pcap(self.recordings, session.media_id)
        if pcap is None:
            log.warning("voice: no recording found for %s", session.media_id)
            return
        name = f"voice/recordings/{session.media_id}.wav"
        seconds = recording.pcap_to_wav(pcap, Path(settings.MEDIA_ROOT) / name)
        pcap.unlink(missing_ok=True)
        actions.do_update_call(session.call_id, recording=name, recording_seconds=seconds)

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
