from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "pasokh.desk"
    verbose_name = _("Agent desktop")

    def ready(self) -> None:
        from pasokh.desk.dispatch import connect

        connect()
