"""The widget's public endpoints: origins, rate limits, attachments, tenant isolation."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pasokh.interactions.models import Attachment, Interaction, Message
from pasokh.webchat import ratelimit
from pasokh.webchat.demo import TINY_PNG
from pasokh.webchat.tests.conftest import SITE, always_closed, start_chat

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def upload(token: str, data: bytes, name: str, origin: str = SITE):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client().post(
        "/webchat/upload",
        {"file": SimpleUploadedFile(name, data, content_type="image/png")},
        HTTP_X_CONVERSATION_TOKEN=token,
        HTTP_ORIGIN=origin,
    )


def test_config_answers_the_allowed_origin_with_topics_in_its_language(shop):
    response = Client().get(f"/webchat/config?key={shop.home.public_key}&lang=en", HTTP_ORIGIN=SITE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SITE
    data = response.json()
    assert [t["code"] for t in data["topics"]] == ["sales", "support", "billing", "complaints"]
    assert data["topics"][1]["name"] == "Technical support"
    assert data["dir"] == "ltr"


def test_an_origin_the_tenant_did_not_allow_is_refused(shop):
    before = Interaction.objects.count()
    response = start_chat(shop.home, origin="https://evil.example")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert Interaction.objects.count() == before


def test_a_chat_links_to_the_contact_with_that_normalized_phone(shop):
    response = start_chat(shop.home, contact="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    interaction = Interaction.objects.get(pk=response.json()["conversation"])
    assert interaction.contact.identities.get().value == "+989121234567"
    again = start_chat(shop.home, contact="+98 912 123 4567")
    assert Interaction.objects.get(pk=again.json()["conversation"]).contact == interaction.contact


def test_starting_is_rate_limited_per_address(shop):
    answers = [start_chat(shop.home, contact=f"0912000000{i}").status_code for i in range(7)]
    assert answers[:5] == [200] * 5
    assert answers[5:] == [429, 429]


def test_a_token_bucket_refills_with_time():
    assert all(ratelimit.allow("start", "ip:x", now=100.0) for _ in range(5))
    assert not ratelimit.allow("start", "ip:x", now=100.0)
    assert ratelimit.allow("start", "ip:x", now=120.5)  # 0.05 tokens/s: one more after 20 s


def test_outside_business_hours_the_message_becomes_a_ticket_or_offline_interaction(shop):
    always_closed(shop.home)
    assert start_chat(shop.home).status_code == 409
    response = Client().post(
        f"/webchat/offline?key={shop.home.public_key}",
        data=json.dumps(
            {"name": "نرگس", "contact": "a@b.ir", "topic": "billing", "body": "بازگشت وجه؟"}
        ),
        content_type="application/json",
        HTTP_ORIGIN=SITE,
    )
    assert response.status_code == 200
    interaction = Interaction.objects.get(channel="chat", messages__body="بازگشت وجه؟")
    assert interaction.status == Interaction.Status.ENDED
    assert interaction.messages.get().body == "بازگشت وجه؟"


def test_an_image_is_stored_under_a_random_name_and_served_to_the_conversation_only(shop):
    token = start_chat(shop.home).json()["token"]
    response = upload(token, TINY_PNG, "../../etc/passwd.png")
    assert response.status_code == 200, response.content
    attachment = Attachment.objects.get(pk=response.json()["message"]["attachment"]["id"])
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "passwd.png"
    assert "passwd" not in attachment.path
    served = Client().get(f"/webchat/attachments/{attachment.pk}/?token={token}")
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"
    # Reading the stream to its end closes the file the way the test client expects; calling
    # close() by hand would fire request_finished and close this test's database connection.
    assert b"".join(served.streaming_content) == TINY_PNG
    other_token = start_chat(shop.home, contact="09350000000").json()["token"]
    assert (
        Client().get(f"/webchat/attachments/{attachment.pk}/?token={other_token}").status_code
        == 404
    )
    assert Client().get(f"/webchat/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.png"),  # HTML dressed as a PNG
        (b"MZ\x90\x00" + b"\x00" * 64, "invoice.pdf"),  # a Windows program
        (b"", "empty.png"),
    ],
)
def test_a_file_that_is_not_really_an_image_or_pdf_is_refused(shop, data, name):
    started = start_chat(shop.home).json()
    response = upload(started["token"], data, name)
    assert response.status_code == 400
    assert not Attachment.objects.filter(interaction_id=started["conversation"]).exists()
    assert not Message.objects.filter(interaction_id=started["conversation"]).exists()


def test_a_file_larger_than_the_widget_allows_is_refused(shop):
    from pasokh.webchat.actions import do_configure_chat_widget

    do_configure_chat_widget(tenant=shop.home, allowed_origins=[SITE], max_attachment_bytes=1000)
    token = start_chat(shop.home).json()["token"]
    assert upload(token, PDF + b" " * 2000, "big.pdf").status_code == 400
    assert upload(token, PDF, "small.pdf").status_code == 200


def test_one_tenants_key_and_token_never_reach_another_tenants_rows(shop):
    from pasokh.webchat.actions import do_configure_chat_widget

    do_configure_chat_widget(tenant=shop.other, allowed_origins=["https://other.example"])
    token = start_chat(shop.home).json()["token"]
    uploaded = upload(token, TINY_PNG, "a.png").json()
    attachment = Attachment.objects.get(pk=uploaded["message"]["attachment"]["id"])
    client = Client()
    client.force_login(shop.user("b_agent"))
    assert client.get(f"/webchat/attachments/{attachment.pk}/").status_code == 404
    client.force_login(shop.user("agent"))
    served = client.get(f"/webchat/attachments/{attachment.pk}/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == TINY_PNG
    # the other tenant's site cannot use the home tenant's key
    assert start_chat(shop.home, origin="https://other.example").status_code == 403
    assert Client().get("/webchat/config?key=pk_not_a_key").status_code == 404
