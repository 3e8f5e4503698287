"""What every call reads of the tenants' phone configuration, kept for a short while.

Each call looks up its number (with the menu and the tenant), the tenant's business calendar
(its week and holidays) and, for each digit, the menu's choice (with its queue or sub-menu):
the same rows for every caller, costing a tenth of the controller's time under load
(docs/PERFORMANCE.md "Voice"). ``CallConfig`` keeps what it read until the configuration
changes: a save or delete of a number, menu, choice, queue, tenant or holiday in this process
(signals, connected in ``apps.py``) or a calendar change (``calendars.on_calendar_change``)
empties every copy at once; a change made by another process (an admin on the web process of
a scale-out) is seen within ``KEEP_S``.

The cached rows are shared by the controller's workers and only read: a call that needs to
change one goes to the database (``actions.py``).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db import transaction

from pasokh.persian.calendar import BusinessCalendar
from pasokh.tenancy.calendars import business_calendar
from pasokh.tenancy.models import Tenant
from pasokh.voice.models import IvrChoice, IvrMenu, PhoneNumber

KEEP_S = 30.0  # a change made in another process reaches new calls within this time

_generation = 0  # bumped on every change of what is kept here
_lock = threading.Lock()


def configuration_changed(*args: Any, **kwargs: Any) -> None:
    """Signal receiver (and calendar listener): every copy is out of date, now and again once
    the change is committed (a call reading in between still sees the old rows)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    global _generation
    with _lock:
        _generation += 1


class CallConfig:
    def __init__(self) -> None:
        self._rows: dict[tuple[str, Any], Any] = {}
        self._generation = -1
        self._read_at = 0.0

    def number(self, dialed: str) -> PhoneNumber | None:
        """The active number dialled, with its menu and tenant (None: no such number)."""
        return self._kept(
            ("number", dialed),
            lambda: (
                PhoneNumber.objects.filter(number=dialed, is_active=True)
                .select_related("menu", "tenant")
                .first()
            ),
        )

    def menu(self, menu_id: int) -> IvrMenu:
        return self._kept(("menu", menu_id), lambda: IvrMenu.objects.get(pk=menu_id))

    def choice(self, menu_id: int, digit: str) -> IvrChoice | None:
        """The menu's choice for a digit, with its queue (and the queue's tenant) or sub-menu."""
        return self._kept(
            ("choice", (menu_id, digit)),
            lambda: (
                IvrChoice.objects.filter(menu_id=menu_id, digit=digit)
                .select_related("queue__tenant", "submenu")
                .first()
            ),
        )

    def calendar(self, tenant: Tenant) -> BusinessCalendar:
        return self._kept(("calendar", tenant.pk), lambda: business_calendar(tenant))

    def _kept(self, key: tuple[str, Any], read: Any) -> Any:
        now = time.monotonic()
        if self._generation != _generation or now - self._read_at > KEEP_S:
            self._rows = {}
            self._generation = _generation
            self._read_at = now
        if key in self._rows:
            return self._rows[key]
        value = read()
        self._rows[key] = value
        return value
