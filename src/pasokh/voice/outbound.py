"""Click-to-call asked from the desk: the checks that give the agent a clear answer at once,
the outbound interaction, and the call's progress for the desk to show.

The order is the one the service follows: the number must be a phone number, the tenant must
have a trunk and a caller ID, the agent a registered phone and room for a call. Then the
interaction (outbound voice, the agent's, the customer's contact found or created by E.164
number) is queued in a voice queue of the agent's routing profile with the agent as the
preferred one (``router.actions.do_enqueue_interaction``), so routing offers it to them alone
and counts it on their voice load. If routing's answer is no offer to them, the interaction is
cancelled again and the agent is told; the call controller (``dialer.py``) does the rest.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from pasokh.interactions.access import access_interaction
from pasokh.interactions.actions import do_start_call
from pasokh.interactions.models import Interaction
from pasokh.persian.phone import try_normalize_phone
from pasokh.router.actions import do_enqueue_interaction
from pasokh.router.models import Queue, RoutingProfileQueue
from pasokh.router.runtime_models import AgentPresence
from pasokh.router.service import RoutingError
from pasokh.routing.events import Event
from pasokh.tenancy.models import Role, User
from pasokh.voice import controls
from pasokh.voice.controls import CallControlError
from pasokh.voice.models import Call, CallLeg, SipTrunk, VoicePolicy

NO_ANSWER = (408, 480, 487)  # the customer's phone rang out, or nobody was reachable


def _voice_queue(user: User) -> Queue | None:
    """The queue an agent's own call is counted in: the first of their routing profile's
    queues that takes calls and keeps work for a preferred agent (by the profile's priority)."""
    profile = getattr(user, "agent_profile", None)
    if profile is None or profile.routing_profile_id is None:
        return None
    # Routing keeps a waiting interaction for its preferred agent only in a queue that waits
    # for returning customers' agents (sticky seconds); elsewhere anyone could be offered it.
    entries = RoutingProfileQueue.objects.filter(
        profile_id=profile.routing_profile_id, queue__sticky_seconds__gt=0
    )
    for entry in entries.select_related("queue").order_by("-priority", "queue__code"):
        if "voice" in entry.queue.channels:
            return entry.queue
    return None


def _room_for_a_call(user: User) -> bool:
    presence = AgentPresence.objects.filter(tenant_id=user.tenant_id, agent_id=str(user.pk)).first()
    return (
        presence is not None
        and presence.state == "ready"
        and presence.load_voice < presence.capacity_voice
    )


def _offered_to(events: list[Event], user: User) -> bool:
    return any(
        event.name == "interaction.offered" and str(getattr(event, "agent_id", "")) == str(user.pk)
        for event in events
    )


def do_click_to_call(user: User, raw_number: str) -> Interaction:
    """Place a call from the agent's desk to ``raw_number`` (Persian digits, spaces, a local
    09… number are fine): the agent's phone rings first. ``CallControlError`` with the reason
    when it cannot be placed now."""
    if user.tenant_id is None or user.role != Role.AGENT:
        raise CallControlError(_("Only agents place calls from the desk."))
    number = try_normalize_phone(raw_number or "")
    if number is None:
        raise CallControlError(_("This is not a phone number that can be called."))
    trunk = SipTrunk.objects.filter(tenant_id=user.tenant_id, is_active=True).first()
    policy = VoicePolicy.objects.filter(tenant_id=user.tenant_id).first()
    if trunk is None or policy is None or not policy.caller_id:
        raise CallControlError(
            _("Outbound calls are not set up: a trunk and a caller ID are needed.")
        )
    controller = controls.attached()
    if controller is None:
        raise CallControlError(_("The telephone service is not running."))
    if controller.registrar.binding_of(user.pk) is None:
        raise CallControlError(
            _("Your phone is not registered: sign in on your desk phone or the softphone first.")
        )
    if not _room_for_a_call(user):
        raise CallControlError(_("Be ready, with room for a call, to place one."))
    queue = _voice_queue(user)
    if queue is None:
        raise CallControlError(_("Your routing profile has no queue for calls."))
    interaction = do_start_call(
        tenant=queue.tenant,
        caller=number,
        queue=queue,
        subject=number,
        direction=Interaction.Direction.OUTBOUND,
        agent=user,
    )
    contact = interaction.contact
    session = controller.open_outbound(
        tenant_id=int(user.tenant_id),
        interaction_id=str(interaction.pk),
        callee=number,
        callee_name=f"{contact.first_name} {contact.last_name}".strip() if contact else "",
        trunk=trunk,
        caller_id=policy.caller_id,
    )
    try:
        events = do_enqueue_interaction(interaction, queue.code, preferred_agent_id=user.pk)
    except RoutingError as error:
        controller.later(controller.withdraw_outbound, session, error.code)
        raise CallControlError(_("Routing refused the call; try again.")) from error
    if not _offered_to(events, user):
        controller.later(controller.withdraw_outbound, session, "agent_unavailable")
        raise CallControlError(_("Be ready, with room for a call, to place one."))
    return interaction


def outbound_progress(user: User, interaction_id: object) -> dict[str, Any]:
    """Where the agent's own outbound call is, for the desk: a state and a sentence."""
    try:
        interaction = access_interaction(user, interaction_id)
    except Http404 as error:
        raise CallControlError(_("This call is not yours.")) from error
    if (
        interaction.agent_id != user.pk
        or interaction.channel != "voice"
        or interaction.direction != Interaction.Direction.OUTBOUND
    ):
        raise CallControlError(_("This call is not yours."))
    call = Call.objects.filter(interaction_id=interaction.pk).order_by("-started_at").first()
    if call is None:
        return {"state": "placing", "message": _("Placing the call…"), "ended": False}
    legs = list(call.legs.all())
    agent_answered = any(
        leg.side == CallLeg.Side.AGENT and leg.answered_at is not None for leg in legs
    )
    refused = next(
        (
            leg.status_code
            for leg in legs
            if leg.side == CallLeg.Side.CUSTOMER and leg.status_code and leg.status_code >= 300
        ),
        None,
    )
    if call.state == Call.State.ENDED:
        return {
            "state": "ended",
            "message": _ended_message(call, agent_answered, refused),
            "ended": True,
        }
    if call.state in (Call.State.CONNECTED, Call.State.ON_HOLD):
        return {"state": "connected", "message": _("Connected."), "ended": False}
    if agent_answered:
        return {"state": "dialing", "message": _("Calling the customer…"), "ended": False}
    return {
        "state": "ringing",
        "message": _("Your phone is ringing: answer it to call."),
        "ended": False,
    }


def _ended_message(call: Call, agent_answered: bool, refused: int | None) -> str:
    if call.answered_at is not None:
        return _("The call has ended.")
    if refused == 486 or refused == 600:
        return _("The customer is busy.")
    if refused in NO_ANSWER:
        return _("The customer did not answer.")
    if refused == 603:
        return _("The customer declined the call.")
    if refused is not None:
        return _("The call could not be put through (SIP %(code)s).") % {"code": refused}
    if not agent_answered:
        return _("Your phone did not answer; the call was not placed.")
    return _("The call ended before the customer answered.")
