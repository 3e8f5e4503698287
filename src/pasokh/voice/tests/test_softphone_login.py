"""The desk's softphone login: the agent's own account only, a token instead of the password,
and a token the registrar accepts until it expires or the phone password changes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from pasokh.voice.actions import digest_ha1, do_set_sip_password
from pasokh.voice.models import SipAccount
from pasokh.voice.softphone import TOKEN_TTL_S, softphone_login, split_token_user, token_ha1

PASSWORD = "pasokh-1405"
URL = "ws://127.0.0.1:8089"


@pytest.fixture
def softphone_on(settings: Any) -> None:
    settings.PASOKH_SOFTPHONE_URL = URL


def test_the_agent_gets_a_token_for_their_own_account_only(
    tenants: Any, client: Any, softphone_on: None
) -> None:
    agent = tenants.user("agent5")
    client.force_login(agent)
    response = client.post(reverse("voice:softphone_login"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    login = response.json()
    account = SipAccount.objects.get(user=agent)
    assert login["uri"] == f"sip:{account.username}@{account.realm}"
    assert login["websocket_url"] == URL
    assert split_token_user(login["authorization_user"]) == (account.username, login["expires_at"])
    assert PASSWORD not in response.content.decode()
    assert account.ha1 not in response.content.decode()
    # The token is a digest password for the token user name, nothing else.
    assert token_ha1(account, login["authorization_user"]) == digest_ha1(
        login["authorization_user"], account.realm, login["password"]
    )
    other = SipAccount.objects.get(user=tenants.user("agent6"))
    assert token_ha1(other, login["authorization_user"]) is None


def test_no_token_without_an_account_a_post_or_a_websocket(
    tenants: Any, client: Any, settings: Any
) -> None:
    settings.PASOKH_SOFTPHONE_URL = URL
    url = reverse("voice:softphone_login")
    assert client.post(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(tenants.user("supervisor"))
    assert not SipAccount.objects.filter(user=tenants.user("supervisor")).exists()
    assert client.post(url).status_code == 404
    client.force_login(tenants.user("agent5"))
    assert client.get(url).status_code == 405
    settings.PASOKH_SOFTPHONE_URL = ""
    assert client.post(url).status_code == 404


def test_a_token_ends_with_its_time_or_the_phone_password(tenants: Any) -> None:
    agent = tenants.user("agent5")
    account = SipAccount.objects.get(user=agent)
    now = time.time()
    login = softphone_login(account, "agent", now=now)
    assert login.expires_at == int(now) + TOKEN_TTL_S
    assert token_ha1(account, login.authorization_user, now=now) is not None
    assert token_ha1(account, login.authorization_user, now=now + TOKEN_TTL_S + 1) is None
    assert token_ha1(account, account.username, now=now) is None  # not a token user name
    before = token_ha1(account, login.authorization_user, now=now)
    changed = do_set_sip_password(user=agent, username=account.username, password="another-one")
    assert token_ha1(changed, login.authorization_user, now=now) != before


def test_the_desk_shows_the_softphone_to_agents_with_a_phone(
    tenants: Any, client: Any, softphone_on: None
) -> None:
    client.force_login(tenants.user("agent5"))
    page = client.get(reverse("desk:desk")).content.decode()
    assert "data-softphone" in page
    assert "voice/softphone.js" in page
    client.force_login(tenants.user("supervisor"))
    assert "data-softphone" not in client.get(reverse("desk:desk")).content.decode()
