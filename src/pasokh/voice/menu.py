"""The phone menu: prompts, digits, retries, business hours and voicemail (a part of the
call controller, see control.py)."""

from __future__ import annotations

import contextlib

from django.utils import translation
from django.utils.translation import gettext

from pasokh.interactions.actions import do_start_call
from pasokh.router.actions import do_enqueue_interaction
from pasokh.voice import actions, prompts
from pasokh.voice.media import (
    CALLBACK_DIGIT,
    VOICEMAIL_MAX_S,
    log,
    wav_seconds,
)
from pasokh.voice.models import Call, IvrChoice, IvrMenu
from pasokh.voice.ng import NgError
from pasokh.voice.session import CUSTOMER_TAG, CallSession


class MenuFlow:
    """Part of ``Controller``: runs on the controller thread like the rest of it."""

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
        session.digits = (session.digits + digit)[-32:]
        assert session.menu_id is not None
        choice = self.config.choice(session.menu_id, digit)
        if choice is not None and choice.action == IvrChoice.Action.QUEUE and choice.queue:
            self._queue(session, choice)  # writes the digits with the call's queued state
            return
        actions.do_update_call(session.call_id, digits=session.digits)
        if choice is None:
            self._retry(session, self.config.menu(session.menu_id))
        elif choice.action == IvrChoice.Action.MENU and choice.submenu is not None:
            session.attempts = 0
            self._enter_menu(session, choice.submenu)
        else:
            self._voicemail_greeting(session, self.config.menu(session.menu_id))

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
            assert session.menu_id is not None
            self._retry(session, self.config.menu(session.menu_id))
        elif kind == "closed":
            assert session.menu_id is not None
            menu = self.config.menu(session.menu_id)
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
