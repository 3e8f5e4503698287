"""The phone configuration a call reads is read once, and read again as soon as it changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from pasokh.voice import config_cache
from pasokh.voice.config_cache import CallConfig

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu(tenants: Any) -> Any:
    from pasokh.router.actions import do_create_queue
    from pasokh.voice.actions import do_add_choice, do_create_menu, do_create_number

    tenant = tenants.home
    support = do_create_queue(
        tenant=tenant, code="phone-support", name="Support", channels=["voice"]
    )
    main = do_create_menu(tenant=tenant, name="Main", prompt_text="برای پشتیبانی ۲ را بزنید")
    do_add_choice(menu=main, digit="2", action="queue", queue=support)
    do_create_number(tenant=tenant, number="+982191009999", menu=main)
    return main


def test_a_second_call_reads_nothing_again(menu: Any, django_assert_num_queries: Any) -> None:
    config = CallConfig()
    number = config.number("+982191009999")
    choice = config.choice(menu.pk, "2")
    assert number is not None
    assert number.menu == menu
    assert choice is not None
    assert choice.queue.code == "phone-support"
    calendar = config.calendar(number.tenant)
    kept_menu = config.menu(menu.pk)
    with django_assert_num_queries(0):
        again = config.number("+982191009999")
        assert again is not None
        assert again.tenant.pk == number.tenant.pk  # loaded with the number
        assert config.choice(menu.pk, "2") is choice
        assert config.choice(menu.pk, "2").queue.tenant.pk == number.tenant.pk
        assert config.menu(menu.pk) is kept_menu
        assert config.calendar(number.tenant) is calendar
    assert config.number("+989999999999") is None  # an unknown number: kept as unknown too
    with django_assert_num_queries(0):
        assert config.number("+989999999999") is None


def test_a_change_in_this_process_is_seen_by_the_next_call(menu: Any, tenants: Any) -> None:
    from pasokh.voice.actions import do_add_choice, do_create_number
    from pasokh.voice.models import IvrChoice, PhoneNumber

    config = CallConfig()
    assert config.choice(menu.pk, "3") is None
    assert config.number("+982191008888") is None
    do_add_choice(menu=menu, digit="3", action="voicemail")
    do_create_number(tenant=tenants.home, number="+982191008888", menu=menu)
    assert config.choice(menu.pk, "3") is not None
    assert config.number("+982191008888") is not None

    menu.timeout_s = 12
    menu.save()
    assert config.number("+982191009999").menu.timeout_s == 12

    PhoneNumber.objects.get(number="+982191008888").delete()
    assert config.number("+982191008888") is None
    IvrChoice.objects.filter(menu=menu, digit="3").delete()
    assert config.choice(menu.pk, "3") is None


def test_a_holiday_closes_the_calendar_of_the_next_call(menu: Any, tenants: Any) -> None:
    from django.utils import timezone

    from pasokh.tenancy.models import Holiday

    tenant = tenants.home
    config = CallConfig()
    before = config.calendar(tenant)
    noons = (
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=offset), datetime.time(12), before.tz
        )
        for offset in range(7)
    )
    day = next(noon for noon in noons if before.is_open(noon))  # a working day, at noon
    Holiday.objects.create(tenant=tenant, date=day.date(), name_fa="تعطیل", closed=True)
    after = config.calendar(tenant)
    assert after is not before
    assert not after.is_open(day)


def test_a_change_made_elsewhere_is_seen_within_the_keeping_time(
    menu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pasokh.voice.models import IvrMenu

    clock = [1000.0]
    monkeypatch.setattr(config_cache.time, "monotonic", lambda: clock[0])
    config = CallConfig()
    assert config.menu(menu.pk).timeout_s == 6
    IvrMenu.objects.filter(pk=menu.pk).update(timeout_s=9)  # no signal: as another process
    assert config.menu(menu.pk).timeout_s == 6
    clock[0] += config_cache.KEEP_S + 1
    assert config.menu(menu.pk).timeout_s == 9
