"""The shell's top navigation links each role to the pages it works in."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.tickets.tests.fixtures import make_shop

pytestmark = pytest.mark.django_db

LINKS = {
    "nav-desk": "/desk/",
    "nav-live": "/desk/live/",
    "nav-contacts": "/contacts/",
    "nav-casework": "/tickets/",
}


def links_on_home(user: object) -> dict[str, str]:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    page = client.get("/").content.decode()
    return {
        testid: href
        for testid, href in LINKS.items()
        if f'href="{href}" data-testid="{testid}"' in page
    }


def test_agents_get_desk_contacts_and_casework_and_supervisors_the_live_view_too() -> None:
    shop = make_shop()
    agent_links = links_on_home(shop.agent)
    assert agent_links == {k: v for k, v in LINKS.items() if k != "nav-live"}
    assert links_on_home(shop.supervisor) == LINKS
    client = Client()
    client.force_login(shop.agent)
    for href in agent_links.values():
        assert client.get(href).status_code == 200, href
