"""Writes to the voice tables (the only write path for this app): configuration, agents' SIP
accounts, and the call records the voice service keeps as calls progress."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from pasokh.audit.actions import record
from pasokh.interactions.actions import do_start_call
from pasokh.interactions.models import Interaction
from pasokh.router.models import Queue
from pasokh.tenancy.models import Tenant, User
from pasokh.voice.models import (
    Call,
    CallLeg,
    CallRequest,
    IvrChoice,
    IvrMenu,
    PhoneNumber,
    SipAccount,
    SipTrunk,
    VoicePolicy,
)

# ── configuration ───────────────────────────────────────────────────────────────────────────


@transaction.atomic
def do_configure_voice_policy(
    *,
    tenant: Tenant,
    recording: str = VoicePolicy.Recording.ALL,
    retention_days: int = 90,
    caller_id: str = "",
) -> VoicePolicy:
    policy, _ = VoicePolicy.objects.update_or_create(
        tenant=tenant,
        defaults={"recording": recording, "retention_days": retention_days, "caller_id": caller_id},
    )
    return policy


@transaction.atomic
def do_create_trunk(*, tenant: Tenant, name: str, host: str, port: int = 5060) -> SipTrunk:
    return SipTrunk.objects.create(tenant=tenant, name=name, host=host, port=port)


@transaction.atomic
def do_create_menu(
    *,
    tenant: Tenant,
    name: str,
    prompt_text: str,
    closed_text: str = "",
    voicemail_queue: Queue | None = None,
    timeout_s: int = 6,
    max_attempts: int = 3,
    language: str = "fa",
) -> IvrMenu:
    return IvrMenu.objects.create(
        tenant=tenant,
        name=name,
        prompt_text=prompt_text,
        closed_text=closed_text,
        voicemail_queue=voicemail_queue,
        timeout_s=timeout_s,
        max_attempts=max_attempts,
        language=language,
    )


@transaction.atomic
def do_add_choice(
    *,
    menu: IvrMenu,
    digit: str,
    action: str,
    queue: Queue | None = None,
    submenu: IvrMenu | None = None,
) -> IvrChoice:
    choice = IvrChoice(
        tenant_id=menu.tenant_id,
        menu=menu,
        digit=digit,
        action=action,
        queue=queue,
        submenu=submenu,
    )
    choice.full_clean()
    choice.save()
    return choice


@transaction.atomic
def do_create_number(
    *, tenant: Tenant, number: str, menu: IvrMenu, trunk: SipTrunk | None = None
) -> PhoneNumber:
    return PhoneNumber.objects.create(tenant=tenant, number=number, menu=menu, trunk=trunk)


def digest_ha1(username: str, realm: str, password: str) -> str:
    """RFC 2617 HA1: what the registrar needs to check a phone, without the password."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode(), usedforsecurity=False).hexdigest()


def realm_of(tenant: Tenant) -> str:
    return f"{tenant.slug}.pasokh"


@transaction.atomic
def do_set_sip_password(*, user: User, username: str, password: str) -> SipAccount:
    """Create or change an agent's phone login; the password itself is never stored."""
    assert user.tenant is not None, "phones belong to a tenant's agents"
    realm = realm_of(user.tenant)
    account, _ = SipAccount.objects.update_or_create(
        user=user,
        defaults={
            "tenant": user.tenant,
            "username": username,
            "realm": realm,
            "ha1": digest_ha1(username, realm, password),
        },
    )
    return account


# ── call records (written by the voice service) ────────────────────────────────────────────


@transaction.atomic
def do_open_call(*, number: PhoneNumber, caller: str, media_id: str, sip_call_id: str) -> Call:
    call = Call.objects.create(
        tenant_id=number.tenant_id, number=number, caller=caller, media_id=media_id
    )
    CallLeg.objects.create(
        tenant_id=number.tenant_id,
        call=call,
        side=CallLeg.Side.CUSTOMER,
        sip_call_id=sip_call_id,
        state=CallLeg.State.ANSWERED,
        answered_at=timezone.now(),
    )
    return call


@transaction.atomic
def do_queue_call(call_id: int, *, queue: Queue, caller: str, digits: str) -> Interaction:
    """The caller chose a queue in the menu: their contact and a waiting voice interaction
    (``do_start_call``) and the call queued for it, in one transaction."""
    interaction = do_start_call(
        tenant=queue.tenant, caller=caller or None, queue=queue, subject=caller
    )
    Call.objects.filter(pk=call_id).update(
        interaction=interaction, state=Call.State.QUEUED, queued_at=timezone.now(), digits=digits
    )
    return interaction


# The two updates below are transactions too, though single statements: a write transaction
# first takes the process's writer lock (config/sqlite), so the controller's writes queue
# behind the router's and the desk's instead of meeting their open transactions in SQLite
# (with the tests' shared-cache in-memory database that meeting fails at once: "database
# table is locked", seen when a transfer from the desk and the controller wrote together).


@transaction.atomic
def do_update_call(call_id: int, **fields: Any) -> None:
    Call.objects.filter(pk=call_id).update(**fields)


@transaction.atomic
def do_open_agent_leg(
    *,
    call_id: int,
    tenant_id: int,
    agent_id: int | None,
    sip_call_id: str,
    call_rings: bool = True,
) -> int:
    """An agent's phone is being called. ``call_rings=False`` for the consulted agent of a warm
    transfer: the call itself stays connected with the first agent meanwhile (and for an
    external number the call is transferred to, ``agent_id=None``)."""
    leg = CallLeg.objects.create(
        tenant_id=tenant_id,
        call_id=call_id,
        side=CallLeg.Side.AGENT,
        sip_call_id=sip_call_id,
        agent_id=agent_id,
    )
    if call_rings:
        Call.objects.filter(pk=call_id).update(state=Call.State.RINGING)
    return int(leg.pk)


@transaction.atomic
def do_update_leg(leg_id: int, **fields: Any) -> None:
    CallLeg.objects.filter(pk=leg_id).update(**fields)


@transaction.atomic
def do_answer_agent_leg(
    call_id: int, leg_id: int | None, at: datetime, *, first_answer: bool = True
) -> None:
    """The agent's phone answered: the leg and the call are connected, in one transaction.
    After a blind transfer the call is answered again: its first answer stays its own."""
    if leg_id is not None:
        CallLeg.objects.filter(pk=leg_id).update(
            state=CallLeg.State.ANSWERED, answered_at=at, status_code=200
        )
    answered = {"answered_at": at} if first_answer else {}
    Call.objects.filter(pk=call_id).update(state=Call.State.CONNECTED, **answered)


@transaction.atomic
def do_end_call(
    call_id: int,
    reason: str,
    at: datetime | None = None,
    media_stats: dict[str, Any] | None = None,
) -> None:
    """The call is over: the call and every leg still up end now (with the packet counts
    rtpengine gave for it, when there are any)."""
    moment = at or timezone.now()
    stats = {} if media_stats is None else {"media_stats": media_stats}
    Call.objects.filter(pk=call_id, ended_at__isnull=True).update(
        state=Call.State.ENDED, ended_at=moment, end_reason=reason, **stats
    )
    CallLeg.objects.filter(call_id=call_id, ended_at__isnull=True).exclude(
        state=CallLeg.State.FAILED
    ).update(state=CallLeg.State.ENDED, ended_at=moment)


def unfinished_calls() -> list[Call]:
    return list(Call.objects.filter(ended_at__isnull=True).select_related("interaction"))


@transaction.atomic
def do_open_callback(
    *, number: PhoneNumber, caller: str, media_id: str, interaction_id: int
) -> Call:
    """A callback being placed: the agent's phone rings first, then the customer's."""
    return _open_ringing_call(number.tenant_id, number, caller, media_id, interaction_id)


@transaction.atomic
def do_answer_callback(call_id: int, sip_call_id: str) -> None:
    now = timezone.now()
    call = Call.objects.get(pk=call_id)
    CallLeg.objects.create(
        tenant_id=call.tenant_id,
        call=call,
        side=CallLeg.Side.CUSTOMER,
        sip_call_id=sip_call_id,
        state=CallLeg.State.ANSWERED,
        answered_at=now,
        status_code=200,
    )
    Call.objects.filter(pk=call_id).update(state=Call.State.CONNECTED, answered_at=now)


@transaction.atomic
def do_purge_recording(call_id: int, *, reason: str, actor: Any = None) -> bool:
    """Delete a call's recording: the file, then the call's reference, with an audit entry.
    False when the call has no recording (any more)."""
    call = Call.objects.select_for_update().filter(pk=call_id).exclude(recording="").first()
    if call is None:
        return False
    name = call.recording.name
    seconds = call.recording_seconds
    call.recording.storage.delete(name)  # a file already gone is no error
    Call.objects.filter(pk=call_id).update(recording="", recording_seconds=None)
    record(
        action="voice.recording_purged",
        tenant=call.tenant,
        actor=actor,
        object_type="voice.call",
        object_id=str(call.pk),
        object_repr=str(call),
        changes={"file": name, "seconds": seconds, "reason": reason},
    )
    return True


@transaction.atomic
def do_open_outbound_call(
    *, tenant_id: int, number: PhoneNumber | None, callee: str, media_id: str, interaction_id: int
) -> Call:
    """An agent's click-to-call: their phone rings first, then the customer's (``callee``)."""
    return _open_ringing_call(tenant_id, number, callee, media_id, interaction_id)


def _open_ringing_call(
    tenant_id: int, number: PhoneNumber | None, caller: str, media_id: str, interaction_id: int
) -> Call:
    """A call placed from here (a callback, a click-to-call): ringing, queued from now."""
    return Call.objects.create(
        tenant_id=tenant_id,
        number=number,
        caller=caller,
        media_id=media_id,
        interaction_id=interaction_id,
        state=Call.State.RINGING,
        queued_at=timezone.now(),
    )


@transaction.atomic
def do_record_customer_refusal(call_id: int, sip_call_id: str, status_code: int) -> None:
    """The customer's phone did not take a call dialled out (busy, no answer, declined): the
    leg is kept with the SIP status, so the agent can be told why."""
    call = Call.objects.get(pk=call_id)
    CallLeg.objects.create(
        tenant_id=call.tenant_id,
        call=call,
        side=CallLeg.Side.CUSTOMER,
        sip_call_id=sip_call_id,
        state=CallLeg.State.FAILED,
        status_code=status_code or None,
        ended_at=timezone.now(),
    )


# ── the desk's requests for a call in another process (desk_requests.py) ────────────────────


@transaction.atomic
def do_ask_call_request(user: User, call: Call, verb: str, argument: str = "") -> CallRequest:
    return CallRequest.objects.create(
        tenant_id=call.tenant_id, call=call, verb=verb, argument=argument, asked_by=user
    )


@transaction.atomic
def do_finish_call_requests(request_ids: list[int], result: dict[str, Any] | None = None) -> None:
    """Done: with the call's hold and mute after them, or (no ``result``) without effect."""
    CallRequest.objects.filter(pk__in=request_ids).update(
        done_at=timezone.now(), result=result or {}
    )
