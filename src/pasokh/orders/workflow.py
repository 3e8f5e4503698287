"""Which order status may follow which: placed → confirmed → shipped → delivered, with exits."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pasokh.orders.models import Order

S = Order.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLACED: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.RETURNED}),
    S.CANCELLED: frozenset(),
    S.RETURNED: frozenset(),
}

# Lines may change only before the order leaves the warehouse.
EDITABLE = frozenset({S.PLACED, S.CONFIRMED})


class OrderError(ValueError):
    """A change the order's state does not allow; the message says why."""


def allowed_next(status: str) -> list[str]:
    return sorted(TRANSITIONS.get(status, frozenset()), key=list(S.values).index)


def check_transition(current: str, new: str) -> None:
    if new not in S.values:
        raise OrderError(_("Unknown order status: %(status)s") % {"status": new})
    if new not in TRANSITIONS[current]:
        raise OrderError(
            _("An order cannot go from “%(current)s” to “%(new)s”.")
            % {"current": S(current).label, "new": S(new).label}
        )
