"""The desk's call buttons without a live call: the page carries them for agents, and the
hold endpoints answer only for the agent's own connected call (the live path is
test_hold.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_desk_page_carries_the_call_buttons_script_and_its_words(
    tenants: Any, client: Any
) -> None:
    client.force_login(tenants.user("agent5"))
    page = client.get(reverse("desk:desk")).content.decode()
    assert "data-call-controls" in page
    assert "voice/callcontrols.js" in page
    assert 'id="call-control-strings"' in page


def test_hold_is_refused_for_a_call_that_is_not_on_the_line_or_not_the_agents(
    tenants: Any, client: Any
) -> None:
    from pasokh.interactions.models import Interaction

    agent = tenants.user("agent5")
    call = Interaction.objects.filter(tenant=tenants.home, channel="voice").first()
    assert call is not None
    client.force_login(agent)
    hold = reverse("voice:call_control", args=[call.pk, "hold"])
    assert client.get(hold).status_code == 405
    refused = client.post(hold)
    assert refused.status_code == 409
    assert refused.json()["error"]
    assert client.post(reverse("voice:call_control", args=[call.pk, "mute"])).status_code == 404
    assert client.get(reverse("voice:call_state", args=[call.pk])).status_code == 409
    other = Interaction.objects.filter(tenant=tenants.other).first()
    assert client.post(reverse("voice:call_control", args=[other.pk, "hold"])).status_code == 409


def test_the_call_endpoints_need_a_signed_in_user(client: Any) -> None:
    response = client.post(reverse("voice:call_control", args=[1, "hold"]))
    assert response.status_code == 302
