"""A restarted voice service ends the calls the previous run left open, in the records and in
routing: nothing stays "connected" and no caller waits in a queue forever."""

from __future__ import annotations

from typing import Any

from pasokh.interactions.actions import do_start_call
from pasokh.router.actions import do_enqueue_interaction
from pasokh.router.models import Queue, QueueEntry
from pasokh.router.runtime_models import EntryStatus
from pasokh.voice.actions import do_open_call, do_update_call
from pasokh.voice.control import Controller
from pasokh.voice.demo import demo_number
from pasokh.voice.models import Call, CallLeg, PhoneNumber
from pasokh.voice.ng import NgClient
from pasokh.voice.registrar import Registrar


def test_calls_left_open_by_a_previous_run_are_ended_at_start(tenants: Any) -> None:
    tenant = tenants.home
    number = PhoneNumber.objects.get(number=demo_number(tenant))
    queue = Queue.objects.get(tenant=tenant, code="support")
    waiting = do_start_call(tenant=tenant, caller="+989121110002", queue=queue)
    do_enqueue_interaction(waiting, queue.code)
    call = do_open_call(number=number, caller="+989121110002", media_id="m-1", sip_call_id="s-1")
    do_update_call(call.pk, interaction=waiting, state=Call.State.QUEUED)
    in_menu = do_open_call(number=number, caller="+989121110003", media_id="m-2", sip_call_id="s-2")

    ng = NgClient(("127.0.0.1", 9))
    controller = Controller(ng, Registrar(), sink_port=9)
    try:
        assert controller.end_orphans() == 2
    finally:
        controller.shutdown()
        ng.close()

    for pk in (call.pk, in_menu.pk):
        ended = Call.objects.get(pk=pk)
        assert ended.state == Call.State.ENDED
        assert ended.end_reason == Call.EndReason.SERVICE_RESTART
        assert ended.ended_at is not None
    assert not CallLeg.objects.filter(call__in=(call, in_menu), ended_at__isnull=True).exists()
    entry = QueueEntry.objects.get(tenant=tenant, interaction_id=str(waiting.pk))
    assert (entry.status, entry.final_state) == (EntryStatus.FINAL, "abandoned")
