"""Which ticket status may follow which: the one table the actions and the pages consult."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pasokh.tickets.models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.OPEN: frozenset({Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.PENDING_CUSTOMER: frozenset({Status.OPEN, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset(
        {Status.OPEN, Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED}
    ),
}

# Statuses in which the ticket is still being worked on (its SLA clocks matter).
ACTIVE = frozenset({Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.REOPENED})


class TransitionError(ValueError):
    """A status change the workflow does not allow; the message says which and why."""


def allowed_next(status: str) -> list[str]:
    return sorted(TRANSITIONS.get(status, frozenset()), key=list(Status.values).index)


def check_transition(current: str, new: str) -> None:
    if new not in Status.values:
        raise TransitionError(_("Unknown ticket status: %(status)s") % {"status": new})
    if new not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            _("A ticket cannot go from “%(current)s” to “%(new)s”.")
            % {"current": Status(current).label, "new": Status(new).label}
        )
