"""Handing a chat to the router, and telling it when the customer leaves."""

from __future__ import annotations

import contextlib

from pasokh.interactions.models import Interaction
from pasokh.router.actions import do_enqueue_interaction
from pasokh.router.service import RoutingError, submit
from pasokh.routing import commands as c


def enqueue_chat(interaction: Interaction, queue_code: str) -> None:
    do_enqueue_interaction(interaction, queue_code)


def customer_left(interaction: Interaction) -> None:
    """Waiting: the customer abandoned. With an agent: the conversation ends for the agent."""
    if interaction.status == Interaction.Status.QUEUED:
        command: object = c.AbandonInteraction(interaction_id=str(interaction.pk))
    elif interaction.status == Interaction.Status.ACTIVE:
        command = c.EndInteraction(interaction_id=str(interaction.pk))
    else:
        return
    with contextlib.suppress(RoutingError):  # routing already let it go (the agent ended it)
        submit(interaction.tenant_id, command)
