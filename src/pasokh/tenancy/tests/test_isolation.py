"""No user ever reads another tenant's rows, through any chokepoint, for any model."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404

from pasokh.audit.models import AuditEntry
from pasokh.conftest import TenantPair
from pasokh.tenancy.access import access, tenant_field, visible_to
from pasokh.tenancy.models import Role

pytestmark = pytest.mark.django_db


def tenant_data_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("pasokh.") and tenant_field(model) is not None
    ]


def test_the_list_of_tenant_data_models_is_found() -> None:
    names = {model.__name__ for model in tenant_data_models()}
    assert {
        "Tenant",
        "User",
        "Team",
        "Holiday",
        "Queue",
        "Skill",
        "Contact",
        "Interaction",
    } <= names


@pytest.mark.parametrize("model", tenant_data_models(), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("username", ["agent", "supervisor", "admin"])
def test_no_user_sees_another_tenants_rows(
    tenants: TenantPair, model: type[models.Model], username: str
) -> None:
    user = tenants.user(username)
    lookup = tenant_field(model)
    others = model._default_manager.filter(**{lookup: tenants.other.pk})
    own_total = model._default_manager.filter(**{lookup: tenants.home.pk}).count()
    visible = visible_to(user, model)

    # Every model is filled in both tenants by the demo, so the check is never vacuous.
    assert others.exists(), f"the fixture has no {model.__name__} in the other tenant"
    assert own_total > 0, f"the fixture has no {model.__name__} in the home tenant"
    assert not visible.filter(pk__in=others.values("pk")).exists()
    for row in others[:3]:
        with pytest.raises(Http404):
            access(user, model, row.pk)
    if model is not AuditEntry or user.role != Role.AGENT:
        assert visible.count() == own_total


def test_agents_do_not_read_the_audit_log(tenants: TenantPair) -> None:
    assert not visible_to(tenants.user("agent"), AuditEntry).exists()
    assert visible_to(tenants.user("supervisor"), AuditEntry).exists()


def test_signed_out_and_inactive_users_see_nothing(tenants: TenantPair) -> None:
    from django.contrib.auth.models import AnonymousUser

    from pasokh.contacts.models import Contact

    assert not visible_to(AnonymousUser(), Contact).exists()
    agent = tenants.user("agent")
    agent.is_active = False
    agent.save()
    assert not visible_to(agent, Contact).exists()


def test_a_malformed_id_is_a_404_not_a_crash(tenants: TenantPair) -> None:
    from pasokh.contacts.models import Contact

    with pytest.raises(Http404):
        access(tenants.user("agent"), Contact, "not-a-number")


def test_models_without_tenant_data_have_no_chokepoint() -> None:
    from django.contrib.sessions.models import Session

    with pytest.raises(TypeError):
        visible_to(None, Session)
