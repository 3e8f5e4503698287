from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "pasokh.interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        from pasokh.interactions import (
            access,  # noqa: F401  (registers the role rules)
            holdings,
        )
        from pasokh.interactions.subscribers import connect

        connect()
        holdings.connect()
