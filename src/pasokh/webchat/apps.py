from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebchatConfig(AppConfig):
    name = "pasokh.webchat"
    verbose_name = _("Web chat")

    def ready(self) -> None:
        from pasokh.webchat.listeners import connect

        connect()
