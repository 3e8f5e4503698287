"""What an agent asks of their live call from the desk: hold and resume, mute and unmute,
digits from the keypad.

Transfers and hang-up need no path of their own: they are routing commands (the desk's
``transfer`` and ``end``), and the call controller follows routing's events. Hold is nothing to
routing — the interaction stays with the agent — so these requests go straight to the running
voice service's controller, which is in this process when voice runs inside ``pasokh run``
(``attach``). With no voice service in this process (a separate ``pasokh voice``), hold,
resume, mute, unmute and digits are checked against the call's record and written as requests
for the voice process (``desk_requests.py``); the other requests (a transfer to a number,
recording, a three-way call, listen-in) still need the controller in this process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pasokh.interactions.access import access_interaction
from pasokh.interactions.models import Interaction
from pasokh.persian.phone import try_normalize_phone
from pasokh.tenancy.models import User
from pasokh.voice import actions, desk_requests
from pasokh.voice.keypad import MAX_DIGITS, DigitBudget, normalize_digits
from pasokh.voice.models import Call, SipTrunk, VoicePolicy

if TYPE_CHECKING:
    from pasokh.voice.control import Controller
    from pasokh.voice.session import CallSession

_controller: Controller | None = None
_digit_budget = DigitBudget()


class CallControlError(Exception):
    """A request about a call that cannot be done; ``str()`` is shown to the agent."""


def attach(controller: Controller) -> None:
    global _controller
    _controller = controller


def detach(controller: Controller) -> None:
    global _controller
    if _controller is controller:
        _controller = None


def attached() -> Controller | None:
    """The controller of the voice service running in this process, if any."""
    return _controller


def live_call(user: User, interaction_id: object) -> tuple[Controller, str]:
    """The agent's own connected phone call and its controller (``CallControlError``
    otherwise): for the desk's requests of other modules (recording)."""
    return _live_call(user, interaction_id)


def _live_call(user: User, interaction_id: object) -> tuple[Controller, str]:
    """The agent's own connected phone call, and the controller that has it on the line."""
    interaction = _own_call(user, interaction_id)
    controller = _controller
    iid = str(interaction.pk)
    if (
        interaction.status != Interaction.Status.ACTIVE
        or controller is None
        or iid not in controller.by_interaction
    ):
        raise CallControlError(_("This call is no longer on the line."))
    return controller, iid


def _own_call(user: User, interaction_id: object) -> Interaction:
    try:
        interaction = access_interaction(user, interaction_id)
    except Http404 as error:
        raise CallControlError(_("This call is not yours.")) from error
    if interaction.agent_id != user.pk or interaction.channel != "voice":
        raise CallControlError(_("This call is not yours."))
    return interaction


def _remote_call(user: User, interaction_id: object) -> Call:
    """No voice service in this process: the agent's own call, both sides on the line, from
    its record (the voice process that has it does the request, ``desk_requests.py``)."""
    interaction = _own_call(user, interaction_id)
    call = None
    if interaction.status == Interaction.Status.ACTIVE:
        call = desk_requests.live_call_of(interaction.pk)
    if call is None:
        raise CallControlError(_("This call is no longer on the line."))
    if call.state not in (Call.State.CONNECTED, Call.State.ON_HOLD):
        raise CallControlError(_("The call is not connected yet."))
    return call


def call_on_hold(user: User, interaction_id: object) -> bool:
    """Whether the agent's own live call is on hold (the desk's button after a reload)."""
    if _controller is None:
        return _remote_call(user, interaction_id).state == Call.State.ON_HOLD
    _attached, iid = _live_call(user, interaction_id)
    return Call.objects.filter(
        interaction_id=int(iid), ended_at__isnull=True, state=Call.State.ON_HOLD
    ).exists()


def call_state(user: User, interaction_id: object) -> dict[str, Any]:
    """The desk's buttons after a reload: on hold (the call's record), muted (the session), and
    a transfer to an external number ringing or refused (``transfer``, ``transfer_message``)."""
    if _controller is None:
        return dict(desk_requests.remote_state(_remote_call(user, interaction_id)))
    on_hold = call_on_hold(user, interaction_id)
    controller, iid = _live_call(user, interaction_id)
    session = controller.by_interaction.get(iid)
    state: dict[str, Any] = {"on_hold": on_hold, "muted": bool(session and session.muted)}
    if session is not None and session.forward_state:
        state["transfer"] = session.forward_state
        state["transfer_message"] = _transfer_message(session.forward_state, session.forward_code)
    return state


def _transfer_message(state: str, code: int) -> str:
    if state == "ringing":
        return str(_("Calling the number; the customer hears music…"))
    if code in (486, 600):
        return str(_("The number is busy; the call is yours again."))
    if code in (408, 480, 487):
        return str(_("The number did not answer; the call is yours again."))
    return str(_("The number could not be reached; the call is yours again."))


def _connected_call(user: User, interaction_id: object) -> tuple[Controller, str, CallSession]:
    """``_live_call``, and both sides on the line: a click-to-call whose customer still rings
    (or any call between two agents' phones) cannot be held, muted or sent digits yet."""
    controller, iid = _live_call(user, interaction_id)
    session = controller.by_interaction.get(iid)
    if session is None or session.stage != "connected":
        raise CallControlError(_("The call is not connected yet."))
    return controller, iid, session


def require_outbound_setup(user: User) -> None:
    """The agent's tenant can call out: an active trunk and a caller ID."""
    trunk = SipTrunk.objects.filter(tenant_id=user.tenant_id, is_active=True).exists()
    policy = VoicePolicy.objects.filter(tenant_id=user.tenant_id).first()
    if not trunk or policy is None or not policy.caller_id:
        raise CallControlError(
            _("Outbound calls are not set up: a trunk and a caller ID are needed.")
        )


def _desk_request(user: User, interaction_id: object, request: str, *, connected: bool) -> None:
    """Hand the desk's ``request`` to the controller of the agent's own live call (connected
    too, for a request that needs both sides on the line)."""
    if _controller is None:
        actions.do_ask_call_request(user, _remote_call(user, interaction_id), request)
        return
    if connected:
        controller, iid, _session = _connected_call(user, interaction_id)
    else:
        controller, iid = _live_call(user, interaction_id)
    controller.later(controller.desk_request, iid, request)


def do_hold_call(user: User, interaction_id: object) -> None:
    """The customer hears hold music; the two sides no longer hear each other."""
    _desk_request(user, interaction_id, "hold", connected=True)


def do_resume_call(user: User, interaction_id: object) -> None:
    _desk_request(user, interaction_id, "resume", connected=False)


def do_mute_call(user: User, interaction_id: object) -> None:
    """The customer no longer hears the agent; the agent still hears the customer."""
    _desk_request(user, interaction_id, "mute", connected=True)


def do_unmute_call(user: User, interaction_id: object) -> None:
    _desk_request(user, interaction_id, "unmute", connected=False)


def do_send_digits(user: User, interaction_id: object, text: str) -> str:
    """Digits from the desk's keypad to the far end (RFC 4733); the digits sent."""
    if _controller is None:
        call = _remote_call(user, interaction_id)
        iid, state = str(call.interaction_id), desk_requests.remote_state(call)
        held_or_muted = state["on_hold"] or state["muted"]
    else:
        controller, iid, session = _connected_call(user, interaction_id)
        held_or_muted = session.on_hold or session.muted
    digits = normalize_digits(text)
    if digits is None:
        raise CallControlError(_("Only the digits 0–9, * and # (and A–D) can be sent."))
    if len(digits) > MAX_DIGITS:
        raise CallControlError(_("Send at most 20 digits at a time."))
    if held_or_muted:
        raise CallControlError(_("Resume and unmute the call to send digits."))
    if not _digit_budget.take(iid, len(digits)):
        raise CallControlError(_("Too many digits at once; wait a moment."))
    if _controller is None:
        actions.do_ask_call_request(user, call, "send_digits", digits)
    else:
        controller.later(controller.desk_request, iid, "send_digits", digits)
    return digits


def do_transfer_to_number(user: User, interaction_id: object, text: str) -> str:
    """Send the agent's live call to an external number through the trunk (``forward.py``);
    the number called, in E.164."""
    controller, iid, session = _connected_call(user, interaction_id)
    number = try_normalize_phone(text or "")
    if number is None:
        raise CallControlError(_("This is not a phone number that can be called."))
    if session.forward_state == "ringing" or session.consult_user_id is not None:
        raise CallControlError(_("This call is being transferred already."))
    if session.agent_webrtc:
        raise CallControlError(_("A call on the browser softphone cannot go to a number yet."))
    require_outbound_setup(user)
    session.forward_state = ""  # a refusal before is forgotten: this is a new try
    controller.later(controller.desk_request, iid, "transfer_out", number)
    return number
