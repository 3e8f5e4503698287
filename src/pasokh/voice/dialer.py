"""Click-to-call from the desk (a part of the call controller, see control.py): the agent's
own phone rings first, and once it answers the customer is dialled through the tenant's trunk
with the tenant's caller ID.

The desk's request (``outbound.py``) opens the interaction (outbound, the agent's) and queues
it in routing with the agent as the preferred one, so routing offers it to them alone, counts
it on their voice load and sends them to wrap-up after it. From routing's offer on, the call
is a callback's two legs (``callbacks.py``): ``_offer`` rings the agent's phone, its answer is
``AcceptOffer`` and ``_dial_customer``, the customer's answer joins the media. What differs is
the end of an unanswered leg: an outbound call is never put back in a queue for someone else.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from pasokh.router.service import RoutingError
from pasokh.routing import commands as c
from pasokh.voice import actions
from pasokh.voice.media import OFFER_GONE, log, sdp_placeholder
from pasokh.voice.models import Call, PhoneNumber, SipTrunk
from pasokh.voice.session import CUSTOMER_TAG, CallSession


class ClickToCallFlow:
    """Part of ``Controller``. ``open_outbound`` runs on the desk's thread (it only registers
    the session, so routing's offer finds it); the rest on the controller thread."""

    def open_outbound(
        self,
        *,
        tenant_id: int,
        interaction_id: str,
        callee: str,
        callee_name: str,
        trunk: SipTrunk,
        caller_id: str,
    ) -> CallSession:
        session = CallSession(
            media_id=f"pasokh-{secrets.token_hex(10)}",
            controller=self,
            sip_config=self.sip_config,
            tenant_id=tenant_id,
            interaction_id=interaction_id,
            caller=callee,
            caller_name=callee_name,
            dial_to=(trunk.host, trunk.port),
            dial_from=caller_id,
            outbound=True,
        )
        session.stage = "queued"  # until routing's offer rings the agent's phone
        self.by_interaction[interaction_id] = session
        self.later(self._prepare_outbound, session)
        return session

    def _prepare_outbound(self, session: CallSession) -> None:
        """rtpengine's call (its customer side waits at the sink until the customer answers)
        and the call's record, before routing's offer rings the agent's phone."""
        assert session.tenant_id is not None
        placeholder = sdp_placeholder(self.sink_port)
        session.customer_sdp = placeholder
        agent_side = self.ng.command(
            "offer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            sdp=placeholder,
            replace=["origin", "session-connection"],
            flags=["inject-DTMF"],
        )
        session.agent_sdp = str(agent_side["sdp"])
        number = PhoneNumber.objects.filter(
            tenant_id=session.tenant_id, number=session.dial_from
        ).first()
        call = actions.do_open_outbound_call(
            tenant_id=session.tenant_id,
            number=number,
            callee=session.caller,
            media_id=session.media_id,
            interaction_id=int(session.interaction_id or 0),
        )
        session.call_id = call.pk
        self.sessions[session.media_id] = session
        log.info("voice: %s places a call to %s", session.media_id, session.caller)

    def withdraw_outbound(self, session: CallSession, reason: str) -> None:
        """The desk's request could not be offered to the agent (not ready, no room): the
        interaction is cancelled in routing with ``reason`` and the call ends unplaced."""
        self._end_outbound(session, reason)

    def _outbound_event(self, session: CallSession, event: Any) -> bool:
        """Routing's events that end an outbound call before the agent's phone answered (the
        offer rejected on the desk, expired, revoked). True when the event was handled."""
        if event.name not in OFFER_GONE or session.stage not in ("queued", "ringing"):
            return False
        self._end_outbound(session, event.name.replace("offer.", "offer_"))
        return True

    def _end_outbound(self, session: CallSession, reason: str) -> None:
        """The agent's leg did not happen (phone refused, did not answer, offer withdrawn):
        nobody else is offered an agent's own call; it ends, cancelled with ``reason``."""
        iid = session.interaction_id
        self.sip(session.drop_agent)
        self._finish(session, Call.EndReason.CANCELLED)
        if iid is not None:
            with contextlib.suppress(RoutingError):
                self._submit(session, c.CancelInteraction(iid, reason))
        log.info("voice: %s not placed: %s", session.media_id, reason)

    def customer_refused(self, session: CallSession, code: int, sip_call_id: str) -> None:
        """The customer's side answered a call dialled out with a failure (486 busy, 480 or
        408 no answer, 603 declined …): its leg is kept with the status."""
        if session.call_id is None:
            return
        actions.do_record_customer_refusal(session.call_id, sip_call_id, code)
        log.info("voice: %s: the customer's side answered %s", session.media_id, code)
