"""Hold and resume a connected call (a part of the call controller, see control.py).

rtpengine's ``play media`` towards the customer does not replace what the agent's side sends:
both streams reach the customer, interleaved (measured: two SSRCs at twice the packet rate).
So hold also blocks the media *from* each side — the customer hears only the music, and the
agent's phone hears nothing of the customer while the agent speaks to a colleague. Resume
undoes the three in the opposite order.
"""

from __future__ import annotations

import contextlib

from pasokh.voice import actions, prompts
from pasokh.voice.media import HOLD_REPEATS, log
from pasokh.voice.models import Call
from pasokh.voice.ng import NgError
from pasokh.voice.session import AGENT_TAG, CUSTOMER_TAG, CallSession

SIDES = (AGENT_TAG, CUSTOMER_TAG)


class HoldFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

    def hold(self, session: CallSession) -> None:
        if session.stage != "connected" or session.on_hold or session.customer_gone:
            return
        for tag in SIDES:
            self.ng.command("block media", call_id=session.media_id, from_tag=tag)
        self._play(session, prompts.hold_music(), repeat=HOLD_REPEATS)
        session.on_hold = True
        session.media_stats["at_hold"] = self._media_stats(session.media_id)
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.ON_HOLD)
        log.info("voice: %s on hold", session.media_id)

    def resume(self, session: CallSession) -> None:
        if not session.on_hold or session.customer_gone:
            return
        self._resume_media(session)
        session.media_stats["at_resume"] = self._media_stats(session.media_id)
        assert session.call_id is not None
        actions.do_update_call(session.call_id, state=Call.State.CONNECTED)
        log.info("voice: %s resumed", session.media_id)

    def _resume_media(self, session: CallSession) -> None:
        with contextlib.suppress(NgError):
            self.ng.command("stop media", call_id=session.media_id, from_tag=CUSTOMER_TAG)
        for tag in SIDES:
            if tag == AGENT_TAG and session.muted:
                continue  # resume does not unmute: the customer still does not hear the agent
            self.ng.command("unblock media", call_id=session.media_id, from_tag=tag)
        session.on_hold = False
