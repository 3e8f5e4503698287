"""Transfers of a connected call (a part of the call controller, see control.py).

Routing decides (``ConsultTransfer``, ``TransferToQueue``, ``TransferToAgent`` from the desk);
this module makes the phones follow its events:

* **warm** — the consult offer rings the second agent's phone while the first agent stays
  with the customer. When it answers, ``AcceptOffer`` hands the interaction over in routing
  (the first agent goes to wrap-up), rtpengine gets the second phone's SDP as the agent side's
  new answer (same rtpengine call and tags, so the customer needs no re-INVITE), and the first
  agent's phone gets BYE. A consult offer that is rejected, expires or is withdrawn only stops
  the second phone: the first agent keeps the call.
* **blind** — routing lets the first agent go at once: their phone gets BYE and the customer
  waits with hold music until routing's next offer rings another phone as for any call.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.utils import timezone

from pasokh.router.service import RoutingError
from pasokh.routing import commands as c
from pasokh.voice import actions, prompts
from pasokh.voice.media import HOLD_REPEATS, log
from pasokh.voice.models import Call, CallLeg
from pasokh.voice.registrar import Binding
from pasokh.voice.session import CallSession


def _refusal(session: CallSession, binding: Binding | None) -> str:
    """Why the consulted agent's phone cannot be rung now ("" when it can)."""
    if session.stage != "connected" or session.consult_user_id is not None:
        return "not_connected"
    if binding is None:
        return "no_phone"
    if binding.is_webrtc or session.agent_webrtc:
        # Desk phones only for now. A softphone beside a desk phone needs rtpengine's agent
        # side offered again as WebRTC (or back), which would cut the first agent's media while
        # they still talk; two softphones would share one DTLS session's parameters, untried.
        return "phone_kind"
    return ""


class TransferFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

    # ── warm: the consulted agent ───────────────────────────────────────────────────────────

    def _consult(self, session: CallSession, agent_id: int) -> None:
        iid = session.interaction_id or ""
        binding = self.registrar.binding_of(agent_id)
        reason = _refusal(session, binding)
        if reason:
            log.info("voice: consult of agent %s for %s declined: %s", agent_id, iid, reason)
            with contextlib.suppress(RoutingError):
                self._submit(session, c.RejectOffer(iid, str(agent_id), reason))
            return
        assert binding is not None
        log.info("voice: %s rings agent %s to consult", session.media_id, agent_id)
        session.consult_user_id = agent_id
        session.consult_leg_id = None
        self.sip(
            session.ring_consult,
            binding.address,
            binding.username,
            session.caller,
            session.caller_name or session.caller,
            binding.transport,
        )

    def consult_leg_started(self, session: CallSession, sip_call_id: str) -> None:
        if session.consult_user_id is None or session.call_id is None:
            return
        assert session.tenant_id is not None
        session.consult_leg_id = actions.do_open_agent_leg(
            call_id=session.call_id,
            tenant_id=session.tenant_id,
            agent_id=session.consult_user_id,
            sip_call_id=sip_call_id,
            call_rings=False,
        )

    def consult_ringing(self, session: CallSession) -> None:
        if session.consult_leg_id is not None:
            actions.do_update_leg(session.consult_leg_id, state=CallLeg.State.RINGING)

    def consult_answered(self, session: CallSession, sdp: str) -> None:
        target = session.consult_user_id
        if session.customer_gone or target is None or session.stage != "connected":
            self.sip(session.drop_consult)
            return
        try:
            self._submit(session, c.AcceptOffer(session.interaction_id or "", str(target)))
        except RoutingError:
            if not self._held_by(session, target):
                # The consult offer went away meanwhile (withdrawn, expired): the first agent
                # keeps the call.
                self._end_consult(session, CallLeg.State.ENDED)
                self.sip(session.drop_consult)
                return
            # else: accepted on the desk while the phone rang; the phone has answered now.
        self._release_mute(session)  # the mute was the first agent's
        if session.on_hold:
            self._resume_media(session)
        self._bridge(session, sdp)
        now = timezone.now()
        session.media_stats["at_transfer"] = self._media_stats(session.media_id)
        first_leg = session.agent_leg_id
        session.agent_user_id, session.agent_leg_id = target, session.consult_leg_id
        session.consult_user_id = session.consult_leg_id = None
        session.agent_sdp_answer = sdp
        self.sip(session.hand_over, target)
        if first_leg is not None:
            actions.do_update_leg(first_leg, state=CallLeg.State.ENDED, ended_at=now)
        if session.agent_leg_id is not None:
            actions.do_update_leg(
                session.agent_leg_id, state=CallLeg.State.ANSWERED, answered_at=now, status_code=200
            )
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.CONNECTED)
        log.info("voice: %s handed over to agent %s", session.media_id, target)

    def consult_failed(self, session: CallSession, code: int) -> None:
        """The consulted phone refused, did not answer, or hung up while ringing."""
        target = session.consult_user_id
        if target is None:
            return  # already handed over or withdrawn
        self._end_consult(session, CallLeg.State.FAILED, code)
        if session.customer_gone:
            return
        with contextlib.suppress(RoutingError):
            self._submit(
                session, c.RejectOffer(session.interaction_id or "", str(target), f"sip_{code}")
            )

    def _consult_withdrawn(self, session: CallSession, agent_id: int | None) -> bool:
        """Routing ended the consult offer (rejected on the desk, expired, revoked): the
        second phone stops ringing. True when the event was about the consult."""
        if session.consult_user_id is None or agent_id != session.consult_user_id:
            return False
        self._end_consult(session, CallLeg.State.ENDED)
        self.sip(session.drop_consult)
        return True

    def _end_consult(self, session: CallSession, state: str, code: int | None = None) -> None:
        if session.consult_leg_id is not None:
            actions.do_update_leg(
                session.consult_leg_id, state=state, status_code=code, ended_at=timezone.now()
            )
        session.consult_user_id = session.consult_leg_id = None

    # ── blind: the customer waits again ─────────────────────────────────────────────────────

    def _transferred_blind(self, session: CallSession, event: Any) -> None:
        if session.stage != "connected":
            return
        log.info(
            "voice: %s transferred by agent %s to %s",
            session.media_id,
            event.from_agent_id,
            event.to_queue_id or f"agent {event.to_agent_id}",
        )
        self._release_mute(session)
        if session.on_hold:
            self._resume_media(session)
        session.media_stats["at_transfer"] = self._media_stats(session.media_id)
        self.sip(session.release_agent)
        if session.agent_leg_id is not None:
            actions.do_update_leg(
                session.agent_leg_id, state=CallLeg.State.ENDED, ended_at=timezone.now()
            )
        session.stage = "queued"
        session.agent_user_id = None
        session.agent_leg_id = None
        session.agent_sdp_answer = ""
        session.agent_bridged = False  # the next agent's answer goes to rtpengine again
        self._play(session, prompts.hold_music(), repeat=HOLD_REPEATS)
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.QUEUED)
