"""Mute and unmute a connected call from the desk (a part of the call controller, see
control.py).

Muted, the customer no longer hears the agent: rtpengine blocks the media *from* the agent's
tag only, so the agent still hears the customer. Hold blocks both sides and plays music; the
two are kept apart by ``CallSession.muted`` and ``on_hold``: muting during hold only marks the
call (the agent's side is blocked already), resume leaves a muted agent's side blocked
(``HoldFlow._resume_media``), and unmuting during hold leaves the blocking to resume.
"""

from __future__ import annotations

from pasokh.voice.media import log
from pasokh.voice.session import AGENT_TAG, CallSession


class MuteFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

    def mute(self, session: CallSession) -> None:
        if session.stage != "connected" or session.muted or session.customer_gone:
            return
        self._set_muted(session, True)

    def unmute(self, session: CallSession) -> None:
        if not session.muted or session.customer_gone:
            return
        self._set_muted(session, False)

    def _set_muted(self, session: CallSession, muted: bool) -> None:
        """rtpengine blocks (or lets through) the agent's side, unless hold blocks it already;
        the media counters at the change are kept (``at_mute``, ``at_unmute``)."""
        if not session.on_hold:
            command = "block media" if muted else "unblock media"
            self.ng.command(command, call_id=session.media_id, from_tag=AGENT_TAG)
        session.muted = muted
        moment = "at_mute" if muted else "at_unmute"
        session.media_stats[moment] = self._media_stats(session.media_id)
        log.info("voice: %s %s", session.media_id, "muted" if muted else "unmuted")

    def _release_mute(self, session: CallSession) -> None:
        """The call goes to another agent (warm or blind transfer): the next one is heard."""
        if session.muted and not session.on_hold:
            self.ng.command("unblock media", call_id=session.media_id, from_tag=AGENT_TAG)
        session.muted = False
