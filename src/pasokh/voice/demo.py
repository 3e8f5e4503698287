"""The demo's telephone line: a number answered by a Persian menu, agents' phone logins, the
recording policy, and call records behind the demo's earlier voice interactions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pasokh.interactions.models import Interaction
from pasokh.router.models import Queue
from pasokh.tenancy.models import Tenant, User
from pasokh.voice.actions import (
    do_add_choice,
    do_configure_voice_policy,
    do_create_menu,
    do_create_number,
    do_create_trunk,
    do_set_sip_password,
)
from pasokh.voice.models import Call, CallLeg, CallRequest, IvrChoice, PhoneNumber

MAIN_PROMPT = (
    "به فروشگاه خوش آمدید. برای خرید عدد یک، برای پشتیبانی فنی عدد دو، "
    "برای امور مالی عدد سه، و برای گذاشتن پیغام عدد نه را فشار دهید."
)
CLOSED = "ساعت کاری ما شنبه تا چهارشنبه از هشت تا هفده است. لطفاً پس از بوق پیغام بگذارید."
SUPPORT_PROMPT = "برای گوشی همراه عدد یک و برای لپ‌تاپ عدد دو را فشار دهید."


def demo_number(tenant: Tenant) -> str:
    return f"+98219100{tenant.pk % 10000:04d}"


def build_voice_demo(
    tenant: Tenant,
    rng: random.Random,
    queues: dict[str, Queue],
    agents: list[User],
    password: str,
) -> None:
    """Agents' phones log in as extension 201, 202 … with ``password``."""
    do_configure_voice_policy(tenant=tenant, retention_days=180, caller_id=demo_number(tenant))
    trunk = do_create_trunk(tenant=tenant, name="مخابرات", host="127.0.0.1", port=5060)
    main = do_create_menu(
        tenant=tenant,
        name="منوی اصلی",
        prompt_text=MAIN_PROMPT,
        closed_text=CLOSED,
        voicemail_queue=queues["support"],
    )
    support = do_create_menu(tenant=tenant, name="پشتیبانی", prompt_text=SUPPORT_PROMPT)
    do_add_choice(menu=main, digit="1", action=IvrChoice.Action.QUEUE, queue=queues["sales"])
    do_add_choice(menu=main, digit="2", action=IvrChoice.Action.QUEUE, queue=queues["support"])
    do_add_choice(menu=main, digit="3", action=IvrChoice.Action.QUEUE, queue=queues["billing"])
    do_add_choice(menu=main, digit="4", action=IvrChoice.Action.MENU, submenu=support)
    do_add_choice(menu=main, digit="9", action=IvrChoice.Action.VOICEMAIL)
    do_add_choice(menu=support, digit="1", action=IvrChoice.Action.QUEUE, queue=queues["support"])
    do_add_choice(menu=support, digit="2", action=IvrChoice.Action.QUEUE, queue=queues["support"])
    number = do_create_number(tenant=tenant, number=demo_number(tenant), menu=main, trunk=trunk)
    for index, agent in enumerate(agents):
        do_set_sip_password(user=agent, username=str(201 + index), password=password)
    _call_history(tenant, rng, number)


def _call_history(tenant: Tenant, rng: random.Random, number: PhoneNumber) -> None:
    calls = Interaction.objects.filter(tenant=tenant, channel="voice").select_related("contact")
    for index, interaction in enumerate(calls.order_by("arrived_at")[:20]):
        contact = interaction.contact
        phone = contact.identities.filter(kind="phone").first() if contact else None
        call = Call.objects.create(
            tenant=tenant,
            media_id=f"demo-{tenant.pk}-{index}",
            number=number,
            caller=phone.value if phone else "",
            interaction=interaction,
            state=Call.State.ENDED,
            digits=rng.choice("123"),
            queued_at=interaction.arrived_at + timedelta(seconds=12),
            answered_at=interaction.answered_at,
            ended_at=interaction.ended_at or interaction.arrived_at + timedelta(seconds=40),
            end_reason=rng.choice((Call.EndReason.CUSTOMER_HANGUP, Call.EndReason.AGENT_HANGUP)),
        )
        Call.objects.filter(pk=call.pk).update(started_at=interaction.arrived_at)
        CallLeg.objects.create(
            tenant=tenant,
            call=call,
            side=CallLeg.Side.CUSTOMER,
            sip_call_id=f"demo-{tenant.pk}-{index}-customer",
            state=CallLeg.State.ENDED,
            answered_at=interaction.arrived_at,
            ended_at=call.ended_at,
        )
        if interaction.agent_id and interaction.answered_at:
            CallLeg.objects.create(
                tenant=tenant,
                call=call,
                side=CallLeg.Side.AGENT,
                sip_call_id=f"demo-{tenant.pk}-{index}-agent",
                agent_id=interaction.agent_id,
                state=CallLeg.State.ENDED,
                status_code=200,
                answered_at=interaction.answered_at,
                ended_at=call.ended_at,
            )
            if index % 4 == 0:  # the agent held the customer a moment from the desk
                _held_from_the_desk(call, interaction.agent_id, interaction.answered_at)


def _held_from_the_desk(call: Call, agent_id: int, answered_at: datetime) -> None:
    """A hold and its resume asked from the desk, as a separate voice process records them."""
    for verb, after_s, on_hold in (("hold", 15, True), ("resume", 35, False)):
        request = CallRequest.objects.create(
            tenant_id=call.tenant_id,
            call=call,
            verb=verb,
            asked_by_id=agent_id,
            done_at=answered_at + timedelta(seconds=after_s),
            result={"on_hold": on_hold, "muted": False},
        )
        CallRequest.objects.filter(pk=request.pk).update(
            asked_at=answered_at + timedelta(seconds=after_s)
        )
