"""Callbacks: a waiting caller asks to be called back, and later the agent's phone rings
first, then the customer is dialled through the trunk (a part of the call controller)."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from pasokh.router.service import RoutingError
from pasokh.routing import commands as c
from pasokh.voice import actions, ondemand, prompts, webrtc
from pasokh.voice.media import (
    log,
    sdp_placeholder,
    wav_seconds,
)
from pasokh.voice.models import Call, CallLeg
from pasokh.voice.session import AGENT_TAG, CUSTOMER_TAG, CallSession


class CallbackFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

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

    def callback_offered(self, tenant_id: int, event: Any) -> None:
        """Routing offers a callback: ring the agent's phone first, then dial the customer
        through the number's trunk (the two-leg pattern of click-to-call)."""
        asked = (
            Call.objects.filter(
                tenant_id=tenant_id,
                interaction_id=int(event.interaction_id),
                end_reason=Call.EndReason.CALLBACK,
            )
            .select_related("number__trunk", "interaction__contact")
            .order_by("-started_at")
            .first()
        )
        if asked is None or asked.number is None or event.interaction_id in self.by_interaction:
            return  # not a phone callback (a chat, an e-mail …), or already being dialled
        trunk = asked.number.trunk
        if trunk is None or not trunk.is_active:
            log.warning("voice: no trunk to call %s back", asked.caller)
            return
        session = CallSession(
            media_id=f"pasokh-{secrets.token_hex(10)}",
            controller=self,
            sip_config=self.sip_config,
            tenant_id=tenant_id,
            interaction_id=event.interaction_id,
            caller=asked.caller,
            dial_to=(trunk.host, trunk.port),
            dial_from=asked.number.number,
        )
        contact = asked.interaction.contact if asked.interaction else None
        session.caller_name = f"{contact.first_name} {contact.last_name}".strip() if contact else ""
        agent_side = self.ng.command(
            "offer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            sdp=sdp_placeholder(self.sink_port),
            replace=["origin", "session-connection"],
        )
        session.agent_sdp = str(agent_side["sdp"])
        call = actions.do_open_callback(
            number=asked.number,
            caller=asked.caller,
            media_id=session.media_id,
            interaction_id=int(event.interaction_id),
        )
        session.call_id = call.pk
        self.sessions[session.media_id] = session
        self.by_interaction[event.interaction_id] = session
        self._offer(session, int(event.agent_id), int(event.offer_id))

    def _dial_customer(self, session: CallSession, agent_sdp: str, customer_sdp: str) -> None:
        assert session.dial_to is not None
        assert session.call_id is not None
        session.stage = "dialing"
        session.agent_sdp_answer = agent_sdp
        if session.agent_leg_id is not None:
            actions.do_update_leg(
                session.agent_leg_id,
                state=CallLeg.State.ANSWERED,
                answered_at=timezone.now(),
                status_code=200,
            )
        self.sip(
            session.dial_customer, session.dial_to, session.caller, session.dial_from, customer_sdp
        )

    def customer_answered(self, session: CallSession, sdp: str) -> None:
        """The called-back customer picked up: their media joins the agent's."""
        if session.stage != "dialing":
            return
        self.ng.command(
            "offer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            sdp=sdp,
            replace=["origin", "session-connection"],
            **webrtc.agent_side_flags(session.agent_webrtc),  # and inject-DTMF, for the keypad
        )
        self.ng.command(
            "answer",
            call_id=session.media_id,
            from_tag=CUSTOMER_TAG,
            to_tag=AGENT_TAG,
            sdp=session.agent_sdp_answer,
            replace=["origin", "session-connection"],
        )
        ondemand.record_from_answer(self, session)
        session.stage = "connected"
        session.media_stats["at_answer"] = self._media_stats(session.media_id)
        assert session.call_id is not None
        actions.do_answer_callback(session.call_id, session.customer_call_id)
