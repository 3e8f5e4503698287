"""The contact pages: search, detail with timeline and duplicates, import wizard, export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from pasokh.contacts.actions import do_create_contact
from pasokh.contacts.models import Contact, ContactImport

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def _client(tenants, username: str) -> Client:
    client = Client()
    client.force_login(tenants.user(username))
    return client


def test_the_list_finds_a_contact_however_the_name_is_typed(tenants):
    do_create_contact(tenant=tenants.home, first_name="مهدي", last_name="كاظمي")
    page = _client(tenants, "agent").get(reverse("contacts:list"), {"q": "مهدی کاظمی"})
    assert page.status_code == 200
    assert "کاظمی" in page.content.decode() or "كاظمي" in page.content.decode()


def test_names_with_markup_stay_escaped_everywhere(tenants):
    contact = do_create_contact(
        tenant=tenants.home, first_name=XSS, last_name="x", phones=["09121231234"]
    )
    twin = do_create_contact(tenant=tenants.home, first_name=XSS, last_name="x")
    agent = _client(tenants, "supervisor")
    for url in (
        reverse("contacts:list") + "?q=alert",
        reverse("contacts:detail", args=[contact.pk]),
        reverse("contacts:detail", args=[twin.pk]),
    ):
        html = agent.get(url).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;" in html


def test_the_detail_shows_timeline_and_duplicates(tenants):
    contact = Contact.objects.filter(tenant=tenants.home, interactions__isnull=False).first()
    twin = do_create_contact(
        tenant=tenants.home, first_name=contact.first_name, last_name=contact.last_name
    )
    html = _client(tenants, "supervisor").get(reverse("contacts:detail", args=[contact.pk]))
    text = html.content.decode()
    assert 'data-testid="timeline"' in text
    assert "timeline-item kind-interaction" in text
    assert f'data-testid="merge-{twin.pk}"' in text


def test_an_agent_sees_no_merge_button_and_cannot_post_one(tenants):
    contact = Contact.objects.filter(tenant=tenants.home).first()
    twin = do_create_contact(
        tenant=tenants.home, first_name=contact.first_name, last_name=contact.last_name
    )
    agent = _client(tenants, "agent")
    assert "merge-" not in agent.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    response = agent.post(reverse("contacts:merge", args=[contact.pk]), {"merge_id": twin.pk})
    assert response.status_code == 403
    assert Contact.objects.filter(pk=twin.pk).exists()


def test_another_tenants_contact_page_is_not_found(tenants):
    stranger = Contact.objects.filter(tenant=tenants.other).first()
    client = _client(tenants, "supervisor")
    assert client.get(reverse("contacts:detail", args=[stranger.pk])).status_code == 404
    mine = Contact.objects.filter(tenant=tenants.home).first()
    response = client.post(reverse("contacts:merge", args=[mine.pk]), {"merge_id": stranger.pk})
    assert response.status_code == 404


@override_settings(LANGUAGE_CODE="fa")
def test_the_import_wizard_uploads_maps_imports_and_reports(
    tenants, monkeypatch, django_capture_on_commit_callbacks
):
    import pasokh.contacts.import_actions as import_actions

    # The test database is one transaction: run the job where on_commit would start the thread.
    monkeypatch.setattr(import_actions, "_start_thread", import_actions.run_contact_import)
    client = _client(tenants, "supervisor")
    data = "نام,نام خانوادگی,موبایل\nبابک,امینی,09121239999\nبد,ردیف,0912\n".encode()
    response = client.post(
        reverse("contacts:import"), {"file": SimpleUploadedFile("leads.csv", data)}
    )
    contact_import = ContactImport.objects.get(filename="leads.csv")
    assert response.url == reverse("contacts:import_map", args=[contact_import.pk])
    mapping_page = client.get(response.url).content.decode()
    assert "بابک" in mapping_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("contacts:import_map", args=[contact_import.pk]),
            {"column_0": "first_name", "column_1": "last_name", "column_2": "phone"},
        )
    status = client.get(reverse("contacts:import_status", args=[contact_import.pk])).json()
    assert (status["created"], status["skipped"], status["finished"]) == (1, 1, True)
    report = client.get(reverse("contacts:import_errors", args=[contact_import.pk]))
    assert "3," in report.content.decode("utf-8-sig")
    assert _client(tenants, "agent").get(reverse("contacts:import")).status_code == 403


def test_export_writes_the_filtered_list(tenants):
    from openpyxl import load_workbook

    do_create_contact(tenant=tenants.home, first_name="=cmd|calc", last_name="ترانه", tags=["vip"])
    client = _client(tenants, "supervisor")
    csv_text = client.get(reverse("contacts:export", args=["csv"]), {"tag": "vip"}).content
    lines = csv_text.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("'=cmd|calc")  # a formula never runs in the spreadsheet
    xlsx = client.get(reverse("contacts:export", args=["xlsx"]), {"q": "ترانه"}).content
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert sheet.max_row == 2
    assert (
        _client(tenants, "agent").get(reverse("contacts:export", args=["csv"])).status_code == 403
    )
