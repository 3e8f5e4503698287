"""Writes to tenants, teams, users and holidays (the only write path for this app)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from pasokh.audit.actions import record_change
from pasokh.persian.calendar import Holiday as HolidayDay
from pasokh.persian.calendar import iran_official_holidays
from pasokh.tenancy.calendars import calendar_changed
from pasokh.tenancy.models import Holiday, Role, Team, Tenant, User


@transaction.atomic
def do_create_tenant(*, name: str, slug: str, default_language: str = "fa") -> Tenant:
    tenant = Tenant.objects.create(name=name, slug=slug, default_language=default_language)
    record_change(tenant=tenant, actor=None, action="tenant.created", obj=tenant)
    return tenant


@transaction.atomic
def do_create_user(
    *,
    tenant: Tenant,
    username: str,
    password: str,
    role: str = Role.AGENT,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "",
    teams: Iterable[Team] = (),
    actor: User | None = None,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        tenant=tenant,
        role=role,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=role == Role.ADMIN,
    )
    user.teams.set(list(teams))
    record_change(
        tenant=tenant, actor=actor, action="user.created", obj=user, changes={"role": role}
    )
    return user


@transaction.atomic
def do_change_user_language(user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def do_seed_official_holidays(tenant: Tenant, years: Iterable[int]) -> int:
    """Copy Iran's official holidays into the tenant's editable table; returns rows added."""
    added = 0
    days: list[HolidayDay] = iran_official_holidays(list(years))
    for day in days:
        _, created = Holiday.objects.get_or_create(
            tenant=tenant,
            date=day.date,
            name_fa=day.name_fa,
            defaults={"name_en": day.name_en, "closed": day.closed},
        )
        added += int(created)
    if added:
        calendar_changed(tenant)
    return added
