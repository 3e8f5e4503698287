"""The desk's in-call requests (hold, resume, mute, unmute, digits) for a call held by a voice
service in another process (``pasokh voice``, scale-out).

Inside ``pasokh run`` the desk hands a request straight to the controller of this process
(``controls.py``). When no voice service runs in the web process, the request is written as a
``CallRequest`` row (``actions.do_ask_call_request``); the voice process's ``voice-routing``
thread reads the pending rows at each pass (``RemoteDeskRequests.poll``, every 50 ms), hands
those of calls it has on the line to the call's controller worker, and marks each done with
the call's hold and mute after it, which the desk reads back after a reload
(``remote_state``). A request for a call that has ended, or that no voice process took within
``STALE_S``, is marked done without effect.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from pasokh.voice import actions
from pasokh.voice.models import Call, CallRequest

if TYPE_CHECKING:
    from pasokh.voice.control import Controller

STALE_S = 30.0


# ── the web process ──────────────────────────────────────────────────────────────────────────


def live_call_of(interaction_id: int) -> Call | None:
    """The interaction's phone call still on the line, if any (its record)."""
    return (
        Call.objects.filter(interaction_id=interaction_id, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def remote_state(call: Call) -> dict[str, bool]:
    """The call's hold (its record) and mute (the last mute or unmute done)."""
    last = (
        CallRequest.objects.filter(
            call=call,
            done_at__isnull=False,
            verb__in=(CallRequest.Verb.MUTE, CallRequest.Verb.UNMUTE),
        )
        .order_by("-done_at", "-id")
        .values_list("result", flat=True)
        .first()
    )
    return {
        "on_hold": call.state == Call.State.ON_HOLD,
        "muted": bool(last and last.get("muted")),
    }


# ── the voice process ────────────────────────────────────────────────────────────────────────


class RemoteDeskRequests:
    """Pending ``CallRequest`` rows, handed to the controller that has their call."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller
        self._handed: set[int] = set()  # handed to a worker, not marked done yet

    def poll(self) -> None:
        pending = CallRequest.objects.filter(done_at__isnull=True).values_list(
            "id", "call__interaction_id", "call__ended_at", "verb", "argument", "asked_at"
        )
        stale_before = timezone.now() - timedelta(seconds=STALE_S)
        gone: list[int] = []
        for request_id, interaction_id, ended_at, verb, argument, asked_at in pending:
            if request_id in self._handed:
                continue
            iid = str(interaction_id)
            if ended_at is not None or asked_at < stale_before:
                gone.append(request_id)
            elif iid in self.controller.by_interaction:
                self._handed.add(request_id)
                args = (argument,) if verb == CallRequest.Verb.SEND_DIGITS else ()
                self.controller.later(self._do, request_id, iid, verb, *args)
        if gone:
            actions.do_finish_call_requests(gone)

    def _do(self, request_id: int, interaction_id: str, verb: str, *args: Any) -> None:
        """On the call's worker: the request, then the call's hold and mute after it."""
        try:
            self.controller.desk_request(interaction_id, verb, *args)
        finally:
            session = self.controller.by_interaction.get(interaction_id)
            result = {"on_hold": session.on_hold, "muted": session.muted} if session else {}
            actions.do_finish_call_requests([request_id], result)
            self._handed.discard(request_id)
