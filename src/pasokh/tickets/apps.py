from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "pasokh.tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from pasokh.tickets import timeline  # noqa: F401  (registers the contact timeline provider)
