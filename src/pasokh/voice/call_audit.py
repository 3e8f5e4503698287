"""The audit entry of a request on a live phone call (listen-in, barge, whisper, a three-way
call): on the interaction's latest call, or named by the interaction when it has none yet."""

from __future__ import annotations

from pasokh.audit.actions import record
from pasokh.tenancy.models import User
from pasokh.voice.models import Call


def record_call_request(user: User, iid: str, action: str, **changes: object) -> None:
    call = Call.objects.filter(interaction_id=int(iid)).order_by("-started_at").first()
    record(
        action=action,
        tenant=user.tenant,
        actor=user,
        object_type="voice.call",
        object_id=str(call.pk) if call else "",
        object_repr=str(call) if call else iid,
        changes={"interaction": iid, **changes},
    )
