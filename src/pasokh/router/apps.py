from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RouterConfig(AppConfig):
    name = "pasokh.router"
    label = "router"
    verbose_name = _("Routing")

    def ready(self) -> None:
        from pasokh.router.actions import reload_routing_calendar
        from pasokh.tenancy.calendars import on_calendar_change

        on_calendar_change(reload_routing_calendar)
