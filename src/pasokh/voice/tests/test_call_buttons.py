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
    assert client.post(reverse("voice:call_control", args=[call.pk, "dance"])).status_code == 404
    for verb in ("mute", "unmute", "digits"):
        response = client.post(reverse("voice:call_control", args=[call.pk, verb]), {"digits": "1"})
        assert response.status_code == 409, verb
        assert response.json()["error"]
    assert client.get(reverse("voice:call_state", args=[call.pk])).status_code == 409
    other = Interaction.objects.filter(tenant=tenants.other).first()
    assert client.post(reverse("voice:call_control", args=[other.pk, "hold"])).status_code == 409


def test_the_call_endpoints_need_a_signed_in_user(client: Any) -> None:
    response = client.post(reverse("voice:call_control", args=[1, "hold"]))
    assert response.status_code == 302


def test_keypad_digits_are_checked_and_persian_digits_read_as_ascii() -> None:
    from pasokh.voice.keypad import normalize_digits

    assert normalize_digits("۰۹۱۲*#") == "0912*#"
    assert normalize_digits("١٢٣") == "123"  # Arabic-Indic
    assert normalize_digits(" 12-34 ab ") == "1234AB"
    assert normalize_digits("12x") is None
    assert normalize_digits("") is None
    assert normalize_digits("1;2") is None


def test_a_call_may_send_a_burst_of_digits_then_a_few_a_second() -> None:
    from pasokh.voice.keypad import BURST, RATE, DigitBudget

    budget = DigitBudget()
    assert budget.take("call", BURST, now=100.0)
    assert not budget.take("call", 1, now=100.0)
    assert budget.take("call", int(RATE), now=101.0)  # a second later: RATE more
    assert not budget.take("call", 1, now=101.0)
    assert budget.take("other call", 1, now=101.0)  # each call has its own
