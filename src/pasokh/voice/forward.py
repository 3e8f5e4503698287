"""A connected call sent to an external number through the tenant's trunk (a part of the call
controller, see control.py): the desk's "transfer to a number".

The agent does not speak to the third party first (a blind transfer), but stays on the call
until the number answers, so a number that is busy or does not answer gives the call back to
the agent instead of leaving the customer with nobody: meanwhile the customer hears hold
music. The external number is rung with rtpengine's agent-side SDP, as a consulted agent's
phone is (``transfers.py``): when it answers, one ``answer`` points rtpengine's agent side at
it (no re-INVITE to the customer), the agent's phone gets BYE, and routing ends the interaction
(``EndInteraction``: the agent goes to wrap-up). The call itself goes on without an agent until
the customer or the external number hangs up; nothing of it is in routing any more.
"""

from __future__ import annotations

import contextlib

from django.utils import timezone

from pasokh.router.service import RoutingError
from pasokh.routing import commands as c
from pasokh.voice import actions
from pasokh.voice.media import log
from pasokh.voice.models import Call, CallLeg, SipTrunk, VoicePolicy
from pasokh.voice.session import CallSession


class ExternalTransferFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

    def transfer_out(self, session: CallSession, number: str) -> None:
        if session.stage != "connected" or session.customer_gone or session.forward_state:
            return
        trunk = SipTrunk.objects.filter(tenant_id=session.tenant_id, is_active=True).first()
        policy = VoicePolicy.objects.filter(tenant_id=session.tenant_id).first()
        if trunk is None or policy is None or not policy.caller_id or session.agent_webrtc:
            session.forward_state, session.forward_code = "failed", 0
            return  # checked on the desk's side already (controls.py); the setup changed since
        session.forward_state, session.forward_code = "ringing", 0
        session.forward_held = not session.on_hold
        if session.forward_held:
            self.hold(session)  # the customer hears music while the number rings
        log.info("voice: %s transferred by the agent to %s", session.media_id, number)
        self.sip(session.dial_forward, (trunk.host, trunk.port), number, policy.caller_id)

    def forward_leg_started(self, session: CallSession, sip_call_id: str) -> None:
        if session.call_id is None or session.tenant_id is None:
            return
        session.forward_leg_id = actions.do_open_agent_leg(
            call_id=session.call_id,
            tenant_id=session.tenant_id,
            agent_id=None,
            sip_call_id=sip_call_id,
            call_rings=False,
        )

    def forward_failed(self, session: CallSession, code: int) -> None:
        """The number was busy, did not answer or refused: the agent has the call again."""
        if session.forward_leg_id is not None:
            actions.do_update_leg(
                session.forward_leg_id,
                state=CallLeg.State.FAILED,
                status_code=code or None,
                ended_at=timezone.now(),
            )
        session.forward_state, session.forward_code = "failed", code
        session.forward_leg_id = None
        if session.customer_gone or session.stage != "connected":
            return
        if session.forward_held:
            self.resume(session)
        log.info("voice: %s: the external number answered %s", session.media_id, code)

    def forward_answered(self, session: CallSession, sdp: str) -> None:
        if session.customer_gone or session.stage != "connected":
            self.sip(session.drop_forward)
            return
        self._release_mute(session)
        if session.on_hold:
            self._resume_media(session)
        self._bridge(session, sdp)
        now = timezone.now()
        session.media_stats["at_transfer"] = self._media_stats(session.media_id)
        first_leg, session.agent_leg_id = session.agent_leg_id, session.forward_leg_id
        session.forward_leg_id = None
        session.forward_state = ""
        session.agent_sdp_answer = sdp
        iid, session.interaction_id = session.interaction_id, None
        self.by_interaction.pop(iid or "", None)  # routing's end of it must not hang up
        self.sip(session.forward_over)
        if first_leg is not None:
            actions.do_update_leg(first_leg, state=CallLeg.State.ENDED, ended_at=now)
        if session.agent_leg_id is not None:
            actions.do_update_leg(
                session.agent_leg_id, state=CallLeg.State.ANSWERED, answered_at=now, status_code=200
            )
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.CONNECTED)
        if iid is not None:
            with contextlib.suppress(RoutingError):
                self._submit(session, c.EndInteraction(iid))  # the agent goes to wrap-up
        log.info("voice: %s handed over to the external number", session.media_id)
