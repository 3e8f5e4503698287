"""Signing in: throttling, audit, language and direction, and the role's home page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pasokh.audit.models import AuditEntry
from pasokh.conftest import TenantPair
from pasokh.demo.builder import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str) -> int:
    response = client.post(reverse("web:login"), {"username": username, "password": password})
    return response.status_code


def test_a_good_password_signs_in_and_is_audited(tenants: TenantPair, client: Client) -> None:
    assert sign_in(client, "agent", DEMO_PASSWORD) == 302
    entry = AuditEntry.objects.filter(action="auth.signed_in").latest("at")
    assert entry.actor == tenants.user("agent")
    assert entry.tenant == tenants.home
    assert entry.ip_address == "127.0.0.1"


def test_five_failed_sign_ins_lock_the_account_even_for_the_right_password(
    tenants: TenantPair, client: Client
) -> None:
    for _ in range(4):
        assert sign_in(client, "agent", "wrong-password") == 200
    assert sign_in(client, "agent", "wrong-password") == 429
    locked = client.post(reverse("web:login"), {"username": "agent", "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.sign_in_failed").count() >= 5
    failed = AuditEntry.objects.filter(action="auth.sign_in_failed").first()
    assert failed is not None
    assert DEMO_PASSWORD not in str(failed.changes)


def test_the_lockout_is_per_account_and_address_not_global(
    tenants: TenantPair, client: Client
) -> None:
    for _ in range(5):
        sign_in(client, "agent", "wrong-password")
    assert sign_in(client, "agent2", DEMO_PASSWORD) == 302


def test_the_sign_in_page_is_persian_and_right_to_left_first(client: Client) -> None:
    html = client.get(reverse("web:login")).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود" in html


def test_the_sign_in_page_in_english_is_left_to_right(client: Client) -> None:
    client.post(reverse("web:set_language"), {"language": "en", "next": reverse("web:login")})
    html = client.get(reverse("web:login")).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Sign in to Pasokh" in html


def test_a_users_language_choice_is_kept_on_their_account(
    tenants: TenantPair, client: Client
) -> None:
    client.force_login(tenants.user("supervisor"))
    client.post(reverse("web:set_language"), {"language": "en"})
    assert tenants.user("supervisor").language == "en"
    fresh = Client()
    fresh.force_login(tenants.user("supervisor"))
    assert '<html lang="en" dir="ltr">' in fresh.get(reverse("web:home")).content.decode()


def test_the_language_switch_refuses_other_languages_and_foreign_redirects(client: Client) -> None:
    assert client.post(reverse("web:set_language"), {"language": "de"}).status_code == 400
    response = client.post(
        reverse("web:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")


@pytest.mark.parametrize(
    ("username", "expected"),
    [("agent", "صف‌های من"), ("supervisor", "صف‌ها"), ("admin", "مدیریت")],
)
def test_each_role_gets_its_home_page(
    tenants: TenantPair, client: Client, username: str, expected: str
) -> None:
    client.force_login(tenants.user(username))
    html = client.get(reverse("web:home")).content.decode()
    assert expected in html
    assert "Other Co" not in html


def test_home_dates_are_jalali_in_persian(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("agent"))
    html = client.get(reverse("web:home")).content.decode()
    assert "۱۴۰۵" in html


def test_pages_carry_a_content_security_policy(client: Client) -> None:
    policy = client.get(reverse("web:login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_sign_in_needs_a_csrf_token(tenants: TenantPair) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("web:login"), {"username": "agent", "password": DEMO_PASSWORD})
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
