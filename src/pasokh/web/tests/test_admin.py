"""The Django admin for tenant admins: their own tenant only, audited, Persian digits accepted."""

from __future__ import annotations

import pytest
from django.test import Client

from pasokh.audit.models import AuditEntry
from pasokh.conftest import TenantPair
from pasokh.router.models import Queue

pytestmark = pytest.mark.django_db


def test_a_tenant_admin_lists_only_their_own_queues(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("admin"))
    html = client.get("/admin/router/queue/").content.decode()
    assert "پشتیبانی فنی" in html
    other_queue = Queue.objects.filter(tenant=tenants.other).first()
    assert other_queue is not None
    assert (
        client.get(f"/admin/router/queue/{other_queue.pk}/change/").status_code == 302
    )  # not found → index


def test_the_admin_is_right_to_left_in_persian(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("admin"))
    html = client.get("/admin/").content.decode()
    assert 'dir="rtl"' in html


def test_agents_cannot_open_the_admin(tenants: TenantPair, client: Client) -> None:
    client.force_login(tenants.user("agent"))
    assert client.get("/admin/router/queue/").status_code == 302


def test_an_admin_change_is_audited_and_accepts_persian_digits(
    tenants: TenantPair, client: Client
) -> None:
    client.force_login(tenants.user("admin"))
    queue = Queue.objects.get(tenant=tenants.home, code="billing")
    form = {
        "name": queue.name,
        "code": queue.code,
        "channels": '["voice", "chat"]',
        "priority": "۷",
        "target_expression": "fa >= 3 and billing >= 2",
        "steps": "[]",
        "strategy": "longest_idle",
        "sticky_seconds": "۱۰",
        "offer_timeout_seconds": "٢٠",
        "service_level_percent": "۸۰",
        "service_level_seconds": "۲۰",
        "wrapup_seconds": "۳۰",
        "max_wait_seconds": "",
        "max_wait_action": "none",
    }
    response = client.post(f"/admin/router/queue/{queue.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    queue.refresh_from_db()
    assert (queue.priority, queue.offer_timeout_seconds, queue.service_level_percent) == (7, 20, 80)
    assert AuditEntry.objects.filter(action="admin.changed", object_id=str(queue.pk)).exists()


def test_a_bad_routing_expression_is_refused_with_a_clear_message(
    tenants: TenantPair, client: Client
) -> None:
    client.force_login(tenants.user("admin"))
    queue = Queue.objects.get(tenant=tenants.home, code="billing")
    form = {
        "name": queue.name,
        "code": queue.code,
        "channels": '["voice"]',
        "priority": "5",
        "target_expression": "fa => 3",
        "steps": "[]",
        "strategy": "longest_idle",
        "sticky_seconds": "10",
        "offer_timeout_seconds": "20",
        "service_level_percent": "80",
        "service_level_seconds": "20",
        "wrapup_seconds": "30",
        "max_wait_seconds": "",
        "max_wait_action": "none",
    }
    response = client.post(f"/admin/router/queue/{queue.pk}/change/", form)
    assert response.status_code == 200
    assert "column" in response.content.decode()
